import { useStrings } from '../../i18n/index.tsx';
import { Field, Section } from '../../ui/index.ts';
import { strings } from './strings.ts';

interface SampleFieldsProps {
  title: string;
  body: string;
  onTitle: (title: string) => void;
  onBody: (body: string) => void;
}

/** The sample title and body the preview renders the template with (empty: built-in samples). */
export function SampleFields({ title, body, onTitle, onBody }: SampleFieldsProps) {
  const t = useStrings(strings);
  return (
    <Section title={t('preview.sample')}>
      <div className="stack">
        <Field label={t('preview.title')} hint={t('preview.titleHint')}>
          {(props) => <input {...props} value={title} onChange={(e) => onTitle(e.target.value)} />}
        </Field>
        <Field label={t('preview.body')} hint={t('preview.titleHint')}>
          {(props) => <textarea {...props} value={body} onChange={(e) => onBody(e.target.value)} rows={3} />}
        </Field>
      </div>
    </Section>
  );
}
