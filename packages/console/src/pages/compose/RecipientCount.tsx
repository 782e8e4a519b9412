import { useStrings } from '../../i18n/index.tsx';
import { useErrorMessage } from '../../ui/index.ts';
import type { CreateNotificationBody } from '../../api/types.ts';
import { composeStrings } from './strings.ts';
import { useRecipientCount } from './useRecipientCount.ts';

/** The recipient count of the draft's target, announced politely as it changes. */
export function RecipientCount({ dryRun, count }: { dryRun: CreateNotificationBody | null; count: ReturnType<typeof useRecipientCount> }) {
  const t = useStrings(composeStrings);
  const errorMessage = useErrorMessage();
  let text: string;
  if (dryRun === null) text = t('countNeedsTarget');
  else if (count.isError) text = t('countFailed', { message: errorMessage(count.error) });
  else if (count.data === undefined || count.isPlaceholderData) text = t('counting');
  else text = t('recipientCount', { count: count.data.recipient_count });
  return (
    <section className="card recipient-count" aria-label={t('countTitle')}>
      <p role="status" className={count.isError ? 'field-error' : 'count-text'}>
        {text}
      </p>
    </section>
  );
}

export { useRecipientCount };
