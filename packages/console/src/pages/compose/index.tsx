import { useMemo } from 'react';
import { useFormat, useStrings } from '../../i18n/index.tsx';
import { ConfirmDialog, Page } from '../../ui/index.ts';
import { dryRunOf, localToIso } from './draft.ts';
import { MessageFields } from './MessageFields.tsx';
import { RecipientCount, useRecipientCount } from './RecipientCount.tsx';
import { RecipientsFieldset } from './RecipientsFieldset.tsx';
import { SendProblems } from './SendProblems.tsx';
import { SendResult } from './SendResult.tsx';
import { composeStrings } from './strings.ts';
import { useCompose } from './useCompose.ts';
import { WhenFieldset } from './WhenFieldset.tsx';

export const page = { path: '/compose', order: 20, nav: { en: 'Compose', el: 'Σύνταξη' } };

export default function ComposePage() {
  const t = useStrings(composeStrings);
  const format = useFormat();
  const { draft, update, errors, summary, dataOk, send, confirming, setConfirming, submit, onSubmit } = useCompose();
  const dryRun = useMemo(() => dryRunOf(draft), [draft]);
  const count = useRecipientCount(dryRun);

  const later = draft.when === 'later';
  const everyoneCount = count.data && !count.isPlaceholderData ? count.data.recipient_count : undefined;

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
        <SendProblems failed={send.isError} error={send.error} summary={summary} />
        <div className="row compose-actions">
          <button type="submit" className="btn btn-primary" disabled={send.isPending || !dataOk} aria-busy={send.isPending}>
            {send.isPending ? t('sending') : later ? t('scheduleSubmit') : t('send')}
          </button>
        </div>
        <SendResult succeeded={send.isSuccess} result={send.data} sendAt={send.variables?.body.send_at} />
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
