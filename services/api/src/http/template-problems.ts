import { validateTemplate } from '@tidings/email';
import { AppError } from '@tidings/server-kit';

/** A template's MJML or placeholder problems, named on the `template` field, as every route that takes a template reports them. */
export function templateProblems(problems: readonly string[]): AppError {
  return new AppError(
    'validation_failed',
    `invalid body: template: ${problems.join('; ')}`,
    problems.map((message) => ({ path: 'template', message })),
  );
}

/**
 * A template in a request body is compiled before anything uses it: a broken one is refused as a
 * 400 naming `template` (with the MJML error), whether the request saves it or only previews it.
 */
export async function checkTemplate(template: string | null | undefined): Promise<void> {
  if (!template) return;
  const problems = await validateTemplate(template);
  if (problems.length > 0) throw templateProblems(problems);
}
