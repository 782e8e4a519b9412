import { useStrings } from '../../i18n/index.tsx';
import { Field } from '../../ui/index.ts';
import type { Draft } from './draft.ts';
import type { DraftFieldsProps } from './fields.ts';
import { composeStrings } from './strings.ts';

const MODES: Draft['mode'][] = ['users', 'roles', 'all'];

export function RecipientsFieldset({ draft, update, errors }: DraftFieldsProps) {
  const t = useStrings(composeStrings);
  return (
    <fieldset className="card stack-tight">
      <legend className="card-legend">{t('recipientsLegend')}</legend>
      <div className="choices">
        {MODES.map((mode) => (
          <label key={mode} className="choice">
            <input type="radio" name="compose-mode" value={mode} checked={draft.mode === mode} onChange={() => update({ mode })} />
            {t(`mode.${mode}`)}
          </label>
        ))}
      </div>
      {draft.mode === 'users' ? (
        <Field label={t('userIds')} hint={t('userIdsHint')} error={errors.userIds}>
          {(props) => (
            <textarea
              {...props}
              rows={3}
              className="mono"
              value={draft.userIds}
              onChange={(event) => update({ userIds: event.target.value })}
              spellCheck={false}
            />
          )}
        </Field>
      ) : draft.mode === 'roles' ? (
        <Field label={t('roles')} hint={t('rolesHint')} error={errors.roles}>
          {(props) => (
            <textarea {...props} rows={2} className="mono" value={draft.roles} onChange={(event) => update({ roles: event.target.value })} spellCheck={false} />
          )}
        </Field>
      ) : (
        <p className="muted">{t('everyoneHint')}</p>
      )}
      {errors.mode ? <p className="field-error">{errors.mode}</p> : null}
    </fieldset>
  );
}
