import { z } from 'zod';
import { loadEmail } from '@tidings/domain';
import { ContentGoneError, TemplateError, type RenderedEmail } from '@tidings/email';
import { emailLogSchema, emailPreviewSchema, renderedEmailSchema, typeKeySchema, uuidSchema } from '@tidings/protocol';
import { AppError, notFound } from '@tidings/server-kit';
import { route, type RouteResult } from '../http/route.ts';
import { checkTemplate, templateProblems } from '../http/template-problems.ts';
import type { ApiDeps } from '../deps.ts';

const tag = 'Admin';

/** What a preview shows for the fields it was not given. */
const sample = {
  title: 'Your order has shipped',
  body: 'This is a sample notification: it shows how an email of this type looks.',
  recipientName: 'Alex Example',
};

const templateProblem = { description: "The saved template's MJML or placeholders do not compile: `validation_failed` naming `template`" };

/**
 * Answers the rendered email. A template that does not compile is a 422 in the error shape a write
 * of that template gets (`validation_failed` naming `template`): the request itself was fine, the
 * template it asks to render is not.
 */
async function rendering(render: () => Promise<RenderedEmail | null>): Promise<RouteResult> {
  let rendered: RenderedEmail | null;
  try {
    rendered = await render();
  } catch (error) {
    if (error instanceof ContentGoneError) throw new AppError('no_content', error.message);
    if (error instanceof TemplateError) return { status: 422, body: templateProblems([error.message]).toBody() };
    throw error;
  }
  if (rendered === null)
    throw new AppError('no_content', 'the digest has nothing left to show: every notification in its window was read, deleted or opted out of');
  return { status: 200, body: { subject: rendered.subject, html: rendered.html, text: rendered.text } };
}

export function adminEmailRoutes(deps: ApiDeps) {
  return [
    route({
      method: 'post',
      path: '/v1/admin/notification-types/:key/preview',
      summary: 'Render an email of this type for sample values; nothing is saved',
      description:
        "Rendered as the worker renders it: branding from the configuration, values filled in and escaped, and the footer's unsubscribe link (signed for the caller). " +
        "`template` left out uses the type's saved template (the default when it has none, or the type was never configured); `null` uses the default.",
      tag,
      access: 'admin',
      params: z.strictObject({ key: typeKeySchema }),
      body: emailPreviewSchema,
      responses: {
        200: { description: 'The email', schema: renderedEmailSchema },
        400: { description: 'A template in the body that does not compile: `validation_failed` naming `template`, as a write of it gets' },
        422: templateProblem,
      },
      handler: async ({ params, body, principal }) => {
        await checkTemplate(body.template);
        const template = body.template === undefined ? (await deps.directory.getType(params.key)).template : body.template;
        return rendering(() =>
          deps.emails.render({
            userId: principal.userId,
            recipientName: body.recipient_name === undefined ? sample.recipientName : body.recipient_name,
            notification: {
              type: params.key,
              title: body.title ?? sample.title,
              body: body.body ?? sample.body,
              actionUrl: body.action_url ?? null,
              data: body.data ?? {},
              template,
            },
          }),
        );
      },
    }),
    route({
      method: 'get',
      path: '/v1/admin/email-logs/:id',
      summary: 'Get one email log',
      tag,
      access: 'admin',
      params: z.strictObject({ id: uuidSchema }),
      responses: { 200: { description: 'The email log', schema: emailLogSchema }, 404: { description: 'Unknown' } },
      handler: async ({ params }) => ({ status: 200, body: await deps.admin.emailLog(params.id) }),
    }),
    route({
      method: 'get',
      path: '/v1/admin/email-logs/:id/rendered',
      summary: "An email log's email, rendered now as the worker renders it",
      description:
        "A notification email from its send and its type's current template; a digest from what its window holds now (items read or deleted since drop out).",
      tag,
      access: 'admin',
      params: z.strictObject({ id: uuidSchema }),
      responses: {
        200: { description: 'The email', schema: renderedEmailSchema },
        404: { description: 'Unknown' },
        409: { description: '`no_content`: its send is gone, or its digest has nothing left in it' },
        422: templateProblem,
      },
      handler: async ({ params }) => {
        const email = await loadEmail(deps.database.sql, params.id);
        if (email === undefined) throw notFound('email log');
        return rendering(() => deps.emails.render(email));
      },
    }),
  ];
}
