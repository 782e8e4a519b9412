import type { ReactNode } from 'react';

/** The scroll container of a wide table: a focusable region named `label`, so it scrolls by keyboard at 390 px. */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
