import { useId, type ReactNode } from 'react';

/**
 * A data table that stays readable on a phone: it scrolls sideways inside a region that is named by
 * the table's caption and can take focus (so a keyboard can scroll it too).
 */
export function ScrollTable({ caption, head, children }: { caption: string; head: ReactNode; children: ReactNode }) {
  const captionId = useId();
  return (
    <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="table">
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>{head}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
