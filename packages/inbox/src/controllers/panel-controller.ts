import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { trapTab } from '../util/focus.ts';
import { placePopover } from '../util/position.ts';

/** Below this width the panel takes the whole screen (the same breakpoint as the styles). */
const FULL_SCREEN_QUERY = '(max-width: 639.98px)';

export interface PanelParts {
  dialog(): HTMLDialogElement | null;
  bell(): HTMLElement | null;
  /** Where focus goes when the panel opens. */
  initialFocus(): HTMLElement | null;
  /** The user asked to close (Escape, a click outside). */
  dismiss(): void;
}

/**
 * The panel's dialog behaviour: a modal `<dialog>` (the top layer, so no page stacking context
 * can hide or clip it, and the page behind is inert), placed next to the bell and kept there
 * while the page scrolls or resizes, Tab kept inside, Escape and a click outside closing it,
 * focus moved in on open and back to the bell on close.
 */
export class PanelController implements ReactiveController {
  /** Whether the pointer went down on the backdrop: only a click that starts and ends outside closes. */
  private pressedOutside = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly parts: PanelParts,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stopFollowing();
  }

  /** Shows the dialog; call after the render that filled it. */
  opened(): void {
    const dialog = this.parts.dialog();
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    this.place();
    window.addEventListener('resize', this.place);
    window.addEventListener('scroll', this.place, { capture: true, passive: true });
    this.parts.initialFocus()?.focus();
  }

  /** Hides the dialog and gives focus back to the bell. */
  closed(): void {
    this.stopFollowing();
    const dialog = this.parts.dialog();
    if (dialog?.open) dialog.close();
    this.parts.bell()?.focus();
  }

  readonly onCancel = (event: Event): void => {
    event.preventDefault();
    this.parts.dismiss();
  };

  /** The dialog closed by itself (a browser may skip `cancel` for a repeated Escape). */
  readonly onClose = (): void => {
    this.parts.dismiss();
  };

  readonly onPointerDown = (event: PointerEvent): void => {
    this.pressedOutside = event.target === event.currentTarget;
  };

  readonly onClick = (event: MouseEvent): void => {
    // Clicks on the backdrop reach the dialog itself; the panel inside covers the dialog's box.
    if (event.target === event.currentTarget && this.pressedOutside) this.parts.dismiss();
    this.pressedOutside = false;
  };

  readonly onKeydown = (event: KeyboardEvent): void => {
    const dialog = this.parts.dialog();
    if (dialog) trapTab(event, dialog, this.host.shadowRoot?.activeElement ?? null);
  };

  private readonly place = (): void => {
    const dialog = this.parts.dialog();
    const bell = this.parts.bell();
    if (!dialog?.open || !bell || window.matchMedia(FULL_SCREEN_QUERY).matches) return;
    const viewport = { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight };
    const rtl = getComputedStyle(this.host).direction === 'rtl';
    const placement = placePopover(bell.getBoundingClientRect(), dialog.getBoundingClientRect().width, viewport, rtl);
    dialog.style.setProperty('--_left', `${placement.left}px`);
    dialog.style.setProperty('--_top', placement.top === undefined ? 'auto' : `${placement.top}px`);
    dialog.style.setProperty('--_bottom', placement.bottom === undefined ? 'auto' : `${placement.bottom}px`);
    dialog.style.setProperty('--_max-height', `${placement.maxHeight}px`);
  };

  private stopFollowing(): void {
    window.removeEventListener('resize', this.place);
    window.removeEventListener('scroll', this.place, { capture: true });
  }
}
