import { useEffect, useState } from 'react';
import { useStrings } from '../i18n/index.tsx';
import { uiStrings } from './strings.ts';

/** A value in monospace with a button that copies it; the outcome is announced. */
export function CopyText({ text, label }: { text: string; label?: string }) {
  const t = useStrings(uiStrings);
  const [outcome, setOutcome] = useState<'copied' | 'copyFailed' | null>(null);
  useEffect(() => {
    if (!outcome) return;
    const timer = setTimeout(() => setOutcome(null), 2000);
    return () => clearTimeout(timer);
  }, [outcome]);
  return (
    <span className="copy-text">
      <span className="mono">{text}</span>
      <button
        type="button"
        className="btn btn-quiet btn-small"
        aria-label={t('copyNamed', { text: label ?? text })}
        onClick={() => {
          navigator.clipboard.writeText(text).then(
            () => setOutcome('copied'),
            () => setOutcome('copyFailed'),
          );
        }}
      >
        {t('copy')}
      </button>
      <span role="status" className="copy-outcome muted">
        {outcome ? t(outcome) : ''}
      </span>
    </span>
  );
}
