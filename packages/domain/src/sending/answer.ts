/** `notification_ids` is answered only up to this many recipients. */
export const NOTIFICATION_IDS_LIMIT = 1_000;

/** The ids of a send's notifications in recipient order (`order`: user ids); users without one are left out. */
export function idsInOrder(order: readonly string[], rows: readonly { id: string; user_id: string }[]): string[] {
  const byUser = new Map(rows.map((row) => [row.user_id, row.id]));
  return order.flatMap((userId) => {
    const id = byUser.get(userId);
    return id === undefined ? [] : [id];
  });
}
