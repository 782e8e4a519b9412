import { useState, type FormEvent } from 'react';
import { Field } from '../../ui/index.ts';
import { describeTimeZone, useFormat, useStrings } from '../../i18n/index.tsx';
import { emptyFilters, rangeIsBackwards, type NotificationFilters, type ReadState } from './filters.ts';
import { strings } from './strings.ts';

const readStates: ReadState[] = ['all', 'unread', 'read'];

/**
 * The filter toolbar. It edits a copy and hands it over on "Apply filters" (or Enter); the parent
 * puts it in the URL. Mount it with a `key` of the URL query so it starts again from the URL.
 */
export function NotificationFilterBar({ initial, onApply }: { initial: NotificationFilters; onApply: (filters: NotificationFilters) => void }) {
  const t = useStrings(strings);
  const { timeZone } = useFormat();
  const [draft, setDraft] = useState(initial);
  const [backwards, setBackwards] = useState(false);
  const set = <K extends keyof NotificationFilters>(key: K, value: NotificationFilters[K]) => setDraft((d) => ({ ...d, [key]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const wrong = rangeIsBackwards(draft);
    setBackwards(wrong);
    if (!wrong) onApply(draft);
  }

  function clear() {
    setDraft(emptyFilters);
    setBackwards(false);
    onApply(emptyFilters);
  }

  const zone = t('filters.zone', { zone: describeTimeZone(timeZone) });
  return (
    <form className="toolbar filters" role="search" aria-label={t('filters.label')} onSubmit={submit}>
      <Field label={t('filters.userId')}>
        {(props) => <input {...props} value={draft.user_id} onChange={(e) => set('user_id', e.target.value)} autoComplete="off" />}
      </Field>
      <Field label={t('filters.type')}>
        {(props) => <input {...props} value={draft.type} onChange={(e) => set('type', e.target.value)} autoComplete="off" />}
      </Field>
      <Field label={t('filters.q')} hint={t('filters.qHint')}>
        {(props) => <input {...props} type="search" value={draft.q} onChange={(e) => set('q', e.target.value)} />}
      </Field>
      <Field label={t('filters.read')}>
        {(props) => (
          <select {...props} value={draft.read} onChange={(e) => set('read', e.target.value as ReadState)}>
            {readStates.map((state) => (
              <option key={state} value={state}>
                {t(`filters.read.${state}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('filters.from')} hint={zone}>
        {(props) => <input {...props} type="datetime-local" value={draft.from} onChange={(e) => set('from', e.target.value)} />}
      </Field>
      <Field label={t('filters.to')} hint={zone} error={backwards ? t('filters.backwards') : undefined}>
        {(props) => <input {...props} type="datetime-local" value={draft.to} onChange={(e) => set('to', e.target.value)} />}
      </Field>
      <Field label={t('filters.broadcastId')}>
        {(props) => <input {...props} value={draft.broadcast_id} onChange={(e) => set('broadcast_id', e.target.value)} autoComplete="off" className="mono" />}
      </Field>
      <div className="toolbar-actions">
        <button type="submit" className="btn btn-primary">
          {t('filters.apply')}
        </button>
        <button type="button" className="btn" onClick={clear}>
          {t('filters.clear')}
        </button>
      </div>
    </form>
  );
}
