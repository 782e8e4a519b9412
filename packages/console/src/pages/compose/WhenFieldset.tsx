import { describeTimeZone, useFormat, useStrings } from '../../i18n/index.tsx';
import { Field } from '../../ui/index.ts';
import { localToIso, type Draft } from './draft.ts';
import type { DraftFieldsProps } from './fields.ts';
import { composeStrings } from './strings.ts';

const WHEN: Draft['when'][] = ['now', 'later'];

export function WhenFieldset({ draft, update, errors }: DraftFieldsProps) {
  const t = useStrings(composeStrings);
  const format = useFormat();
  const at = localToIso(draft.sendAt);
  const zone = describeTimeZone(format.timeZone, at ? new Date(at) : new Date());
  return (
    <fieldset className="card stack-tight">
      <legend className="card-legend">{t('whenLegend')}</legend>
      <div className="choices">
        {WHEN.map((when) => (
          <label key={when} className="choice">
            <input type="radio" name="compose-when" value={when} checked={draft.when === when} onChange={() => update({ when })} />
            {when === 'now' ? t('sendNow') : t('schedule')}
          </label>
        ))}
      </div>
      {draft.when === 'later' ? (
        <Field label={t('sendAt')} hint={t('timeZone', { zone })} error={errors.sendAt} className="field-narrow">
          {(props) => <input {...props} type="datetime-local" value={draft.sendAt} onChange={(event) => update({ sendAt: event.target.value })} required />}
        </Field>
      ) : null}
    </fieldset>
  );
}
