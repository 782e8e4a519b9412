import { useFormat } from '../i18n/index.tsx';

/** A date and time in the admin's locale and zone; the relative time as its tooltip. */
export function Time({ iso }: { iso: string | null | undefined }) {
  const format = useFormat();
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={format.relative(iso)}>
      {format.dateTime(iso)}
    </time>
  );
}
