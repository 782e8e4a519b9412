/** Where the popover goes, in viewport pixels; `top` or `bottom` is set, never both. */
export interface PopoverPlacement {
  left: number;
  top?: number;
  bottom?: number;
  maxHeight: number;
}

/** Space kept between the bell and the popover, and between the popover and the viewport's edges. */
const GAP = 8;
/** Below this much room under the bell, the popover opens above it if there is more room there. */
const MIN_HEIGHT_BELOW = 320;

/**
 * Places a popover of `width` next to the bell: below it (above when the room below is short and
 * the room above is larger), with its inline-end edge on the bell's, since a bell usually sits at
 * the end of a header and the popover then opens toward the page; in a right-to-left page that is
 * the left edge. Kept inside the viewport.
 */
export function placePopover(
  bell: Pick<DOMRect, 'top' | 'bottom' | 'left' | 'right'>,
  width: number,
  viewport: { width: number; height: number },
  rtl: boolean,
): PopoverPlacement {
  const preferred = rtl ? bell.left : bell.right - width;
  const left = Math.max(GAP, Math.min(preferred, viewport.width - width - GAP));
  const below = viewport.height - bell.bottom - 2 * GAP;
  const above = bell.top - 2 * GAP;
  if (below < MIN_HEIGHT_BELOW && above > below) {
    return { left, bottom: viewport.height - bell.top + GAP, maxHeight: above };
  }
  return { left, top: bell.bottom + GAP, maxHeight: below };
}
