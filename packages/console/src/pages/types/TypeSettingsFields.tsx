import { useStrings } from '../../i18n/index.tsx';
import { Field } from '../../ui/index.ts';
import type { TypeDraft } from './model.ts';
import { strings } from './strings.ts';

interface TypeSettingsFieldsProps {
  draft: TypeDraft;
  set: <K extends keyof TypeDraft>(field: K, value: TypeDraft[K]) => void;
  /** A new type: the key is a field. */
  isNew: boolean;
  keyError: string | undefined;
  onKeyBlur: () => void;
  templateError: string | undefined;
}

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="choice">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** A type's settings as fields: its key (when new), description, defaults, critical flag and MJML template. */
export function TypeSettingsFields({ draft, set, isNew, keyError, onKeyBlur, templateError }: TypeSettingsFieldsProps) {
  const t = useStrings(strings);
  return (
    <>
      {isNew ? (
        <Field label={t('key')} hint={t('key.hint')} error={keyError}>
          {(props) => (
            <input
              {...props}
              className="mono"
              value={draft.key}
              onChange={(e) => set('key', e.target.value)}
              onBlur={onKeyBlur}
              autoComplete="off"
              spellCheck={false}
              required
            />
          )}
        </Field>
      ) : null}
      <Field label={t('description')} hint={t('description.hint')}>
        {(props) => <input {...props} value={draft.description} onChange={(e) => set('description', e.target.value)} />}
      </Field>
      <fieldset>
        <legend>{t('defaults')}</legend>
        <div className="checks">
          <Check label={t('defaultInApp')} checked={draft.default_in_app} onChange={(v) => set('default_in_app', v)} />
          <Check label={t('defaultEmail')} checked={draft.default_email} onChange={(v) => set('default_email', v)} />
          <Check label={t('critical')} checked={draft.critical} onChange={(v) => set('critical', v)} />
        </div>
      </fieldset>
      <Field label={t('template')} hint={t('template.hint')} error={templateError}>
        {(props) => (
          <textarea
            {...props}
            className="template-editor"
            value={draft.template}
            onChange={(e) => set('template', e.target.value)}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
          />
        )}
      </Field>
    </>
  );
}
