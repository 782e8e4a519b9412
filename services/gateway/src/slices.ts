import { setImmediate as nextTurn } from 'node:timers/promises';

/** How many connections one turn of the event loop visits before letting other work run. */
export const SLICE = 500;

/**
 * Visits every item in slices, yielding to the event loop between them, so a sweep over tens of
 * thousands of connections never holds up live delivery for more than a slice's worth of writes.
 */
export async function inSlices<T>(items: readonly T[], visit: (item: T) => void, slice = SLICE): Promise<void> {
  for (let i = 0; i < items.length; i += slice) {
    if (i > 0) await nextTurn();
    const end = Math.min(i + slice, items.length);
    for (let j = i; j < end; j++) visit(items[j]!);
  }
}
