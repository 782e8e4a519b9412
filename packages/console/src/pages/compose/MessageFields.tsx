import type { Priority } from '../../api/types.ts';
import { useStrings } from '../../i18n/index.tsx';
import { Field } from '../../ui/index.ts';
import type { DraftFieldsProps } from './fields.ts';
import { composeStrings } from './strings.ts';
import { TypeField } from './TypeField.tsx';

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'critical'];

export function MessageFields({ draft, update, errors }: DraftFieldsProps) {
  const t = useStrings(composeStrings);
  return (
    <fieldset className="card stack-tight">
      <legend className="card-legend">{t('messageLegend')}</legend>
      <div className="form-row">
        <TypeField value={draft.type} onChange={(type) => update({ type })} error={errors.type} />
        <Field label={t('priority')} error={errors.priority} className="field-narrow">
          {(props) => (
            <select {...props} value={draft.priority} onChange={(event) => update({ priority: event.target.value as Priority })}>
              {PRIORITIES.map((priority) => (
                <option key={priority} value={priority}>
                  {t(`priority.${priority}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label={t('titleField')} error={errors.title}>
        {(props) => <input {...props} value={draft.title} onChange={(event) => update({ title: event.target.value })} maxLength={200} required />}
      </Field>
      <Field label={t('body')} error={errors.body}>
        {(props) => <textarea {...props} rows={4} value={draft.body} onChange={(event) => update({ body: event.target.value })} maxLength={5000} />}
      </Field>
      <Field label={t('actionUrl')} hint={t('actionUrlHint')} error={errors.actionUrl}>
        {(props) => (
          <input
            {...props}
            type="text"
            inputMode="url"
            value={draft.actionUrl}
            onChange={(event) => update({ actionUrl: event.target.value })}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
      <Field label={t('data')} hint={t('dataHint')} error={errors.data}>
        {(props) => (
          <textarea
            {...props}
            rows={4}
            className="mono"
            value={draft.data}
            onChange={(event) => update({ data: event.target.value })}
            spellCheck={false}
            placeholder='{"order": 42}'
          />
        )}
      </Field>
    </fieldset>
  );
}
