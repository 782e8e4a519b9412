import type { CreateNotificationResult } from '../../api/types.ts';
import { useFormat, useStrings } from '../../i18n/index.tsx';
import { AppLink } from '../../ui/index.ts';
import { composeStrings } from './strings.ts';

interface SendResultProps {
  /** The last send succeeded, with the API's answer `result`. */
  succeeded: boolean;
  result: CreateNotificationResult | undefined;
  /** The `send_at` the last send asked for. */
  sendAt: string | null | undefined;
}

/** What the last send did (sent to how many, or scheduled for when), and a link to its broadcast. */
export function SendResult({ succeeded, result, sendAt }: SendResultProps) {
  const t = useStrings(composeStrings);
  const format = useFormat();
  return (
    <div role="status" className={succeeded ? 'notice notice-success' : undefined}>
      {succeeded && result ? (
        <>
          <p>{result.status === 'scheduled' ? t('scheduledFor', { time: format.dateTime(sendAt) }) : t('sentTo', { count: result.recipient_count })}</p>
          <AppLink to={`/broadcasts?highlight=${encodeURIComponent(result.broadcast_id)}`}>{t('viewBroadcast')}</AppLink>
        </>
      ) : null}
    </div>
  );
}
