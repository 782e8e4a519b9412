import { FieldList, Tabs } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import type { RenderedEmail } from './model.ts';
import { strings } from './strings.ts';

/**
 * A rendered email: its subject, then tabs "HTML" (in a sandboxed frame that runs no script and
 * counts as another origin) and "Text".
 */
export function EmailView({ email }: { email: RenderedEmail }) {
  const t = useStrings(strings);
  return (
    <div className="stack">
      <FieldList rows={[[t('rendered.subject'), email.subject === '' ? t('logs.noSubject') : email.subject]]} />
      <Tabs
        label={t('rendered.views')}
        items={[
          {
            id: 'html',
            label: t('rendered.html'),
            panel: <iframe className="email-frame" sandbox="" srcDoc={email.html} title={t('rendered.frame', { subject: email.subject })} />,
          },
          {
            id: 'text',
            label: t('rendered.text'),
            panel: (
              <pre className="full-text" aria-label={t('rendered.textLabel')}>
                {email.text}
              </pre>
            ),
          },
        ]}
      />
    </div>
  );
}
