import { useStrings } from '../i18n/index.tsx';
import { uiStrings } from './strings.ts';

type Tone = 'success' | 'danger' | 'info' | 'warning' | 'neutral';

const TONES: Record<string, Tone> = {
  sent: 'success',
  delivered: 'success',
  read: 'neutral',
  unread: 'info',
  failed: 'danger',
  bounced: 'danger',
  complained: 'danger',
  scheduled: 'info',
  queued: 'info',
  pending: 'info',
  sending: 'warning',
  cancelled: 'neutral',
  suppressed: 'neutral',
  skipped: 'neutral',
  manual: 'neutral',
};

/** The word for a status (as the badges show it), e.g. for a filter's options. */
export function useStatusLabel(): (status: string) => string {
  const t = useStrings(uiStrings);
  return (status) => {
    const key = `status.${status}`;
    return key in uiStrings.en ? t(key as keyof typeof uiStrings.en) : status;
  };
}

/** A status as text with a tone (the colour never carries the meaning alone). */
export function StatusBadge({ status }: { status: string }) {
  const label = useStatusLabel()(status);
  return <span className={`badge badge-${TONES[status] ?? 'neutral'}`}>{label}</span>;
}
