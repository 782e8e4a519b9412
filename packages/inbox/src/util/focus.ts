const candidates = 'a[href], button, input, select, textarea, [tabindex]';

/** The elements under `root` that Tab stops at, in document order. */
export function tabbables(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(candidates)].filter(
    (element) =>
      element.tabIndex >= 0 &&
      !(element as HTMLButtonElement).disabled &&
      // checkVisibility is missing in Safari < 17.4: treat the element as visible there.
      (typeof element.checkVisibility !== 'function' || element.checkVisibility()),
  );
}

/**
 * Keeps Tab inside `root`: from the last stop Tab goes to the first, and Shift+Tab from the
 * first to the last. Call it from `keydown`; it does nothing for other keys.
 */
export function trapTab(event: KeyboardEvent, root: ParentNode, active: Element | null): void {
  if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
  const stops = tabbables(root);
  const first = stops[0];
  const last = stops.at(-1);
  if (!first || !last) {
    event.preventDefault();
    return;
  }
  const inside = active !== null && stops.includes(active as HTMLElement);
  if (event.shiftKey && (active === first || !inside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !inside)) {
    event.preventDefault();
    first.focus();
  }
}
