import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { useApi } from '../../api/session.tsx';
import type { CreateNotificationBody, CreateNotificationResult } from '../../api/types.ts';
import { useFormat, useStrings } from '../../i18n/index.tsx';
import { AppLink, ConfirmDialog, Page, useErrorMessage } from '../../ui/index.ts';
import { draftProblems, dryRunOf, emptyDraft, fieldOfPath, localToIso, newIdempotencyKey, parseData, requestOf, type Draft } from './draft.ts';
import { MessageFields } from './MessageFields.tsx';
import { RecipientCount, useRecipientCount } from './RecipientCount.tsx';
import { RecipientsFieldset } from './RecipientsFieldset.tsx';
import { composeStrings } from './strings.ts';
import { WhenFieldset } from './WhenFieldset.tsx';

export const page = { path: '/compose', order: 20, nav: { en: 'Compose', el: 'Σύνταξη' } };

type FieldErrors = Partial<Record<keyof Draft, string>>;

export default function ComposePage() {
  const t = useStrings(composeStrings);
  const format = useFormat();
  const errorMessage = useErrorMessage();
  const api = useApi();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  // One key per composed message: a double click (or a retry of the same draft) sends once.
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey());
  const [attempted, setAttempted] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const send = useMutation({
    mutationFn: (request: { body: CreateNotificationBody; key: string }) =>
      api.post<CreateNotificationResult>('/v1/notifications', request.body, { idempotencyKey: request.key }),
    onSuccess: () => {
      setIdempotencyKey(newIdempotencyKey());
      setAttempted(false);
      void queryClient.invalidateQueries({ queryKey: ['admin'] });
    },
  });

  const update = (patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setIdempotencyKey(newIdempotencyKey());
  };

  const dryRun = useMemo(() => dryRunOf(draft), [draft]);
  const count = useRecipientCount(dryRun);
  const problems = draftProblems(draft);
  const data = parseData(draft.data);

  const errors: FieldErrors = {};
  if (attempted) for (const [field, problem] of Object.entries(problems)) errors[field as keyof Draft] = t(`problem.${problem}`);
  if (!data.ok) errors.data = data.message === 'not-object' ? t('dataNotObject') : t('dataInvalid', { message: data.message });
  const apiError = send.error instanceof ApiError ? send.error : null;
  for (const detail of apiError?.details ?? []) {
    const field = fieldOfPath(detail.path, draft.mode);
    if (field && !errors[field]) errors[field] = detail.message;
  }

  const submit = () => {
    setConfirming(false);
    send.mutate({ body: requestOf(draft), key: idempotencyKey });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (send.isPending || Object.keys(problems).length > 0) return;
    if (draft.mode === 'all') setConfirming(true);
    else submit();
  };

  const later = draft.when === 'later';
  const everyoneCount = count.data && !count.isPlaceholderData ? count.data.recipient_count : undefined;
  const summary = attempted ? Object.entries(errors) : [];

  return (
    <Page title={t('title')}>
      <form className="compose stack" onSubmit={onSubmit} noValidate>
        <div className="compose-columns">
          <div className="stack">
            <RecipientsFieldset draft={draft} update={update} errors={errors} />
            <RecipientCount dryRun={dryRun} count={count} />
            <WhenFieldset draft={draft} update={update} errors={errors} />
          </div>
          <MessageFields draft={draft} update={update} errors={errors} />
        </div>
        <div role="alert" className={send.isError || summary.length > 0 ? 'notice notice-error' : undefined}>
          {send.isError || summary.length > 0 ? (
            <div>
              <p>
                <strong>{t('problemsTitle')}</strong> {send.error && !apiError?.details?.length ? errorMessage(send.error) : null}
              </p>
              {apiError?.details?.length ? (
                <ul>
                  {apiError.details.map((detail, index) => (
                    <li key={index}>
                      {detail.path ? <span className="mono">{detail.path}</span> : null} {detail.message}
                    </li>
                  ))}
                </ul>
              ) : summary.length > 0 && !send.isError ? (
                <ul>
                  {summary.map(([field, message]) => (
                    <li key={field}>{message}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </div>
        <div className="row compose-actions">
          <button type="submit" className="btn btn-primary" disabled={send.isPending || !data.ok} aria-busy={send.isPending}>
            {send.isPending ? t('sending') : later ? t('scheduleSubmit') : t('send')}
          </button>
        </div>
        <div role="status" className={send.isSuccess ? 'notice notice-success' : undefined}>
          {send.isSuccess && send.data ? (
            <>
              <p>
                {send.data.status === 'scheduled'
                  ? t('scheduledFor', { time: format.dateTime(send.variables?.body.send_at) })
                  : t('sentTo', { count: send.data.recipient_count })}
              </p>
              <AppLink to={`/broadcasts?highlight=${encodeURIComponent(send.data.broadcast_id)}`}>{t('viewBroadcast')}</AppLink>
            </>
          ) : null}
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={everyoneCount === undefined ? t('confirmAllUnknown') : t('confirmAll', { count: everyoneCount })}
        confirmLabel={later ? t('confirmSchedule') : t('confirmSend')}
        danger
        busy={send.isPending}
        onConfirm={submit}
        onCancel={() => setConfirming(false)}
      >
        <p>{later ? t('confirmScheduleText', { time: format.dateTime(localToIso(draft.sendAt)) }) : t('confirmAllText')}</p>
      </ConfirmDialog>
    </Page>
  );
}
