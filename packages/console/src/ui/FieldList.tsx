import type { ReactNode } from 'react';

/** One term and its value in a FieldList. */
export type FieldRow = readonly [term: string, value: ReactNode];

/** A description list of fields (term, value): two columns on a desktop, stacked on a phone. */
export function FieldList({ rows }: { rows: readonly FieldRow[] }) {
  return (
    <dl className="fields">
      {rows.map(([term, value]) => (
        <div className="field-row" key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
