import { html, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Toast } from '../controllers/toast-controller.ts';
import type { Translator } from '../locales/index.ts';
import type { InboxNotification } from '../types.ts';
import { closeIcon, criticalIcon, highIcon } from './icons.ts';

export interface ToastsView {
  t: Translator;
  toasts: readonly Toast[];
  onOpen(notification: InboxNotification): void;
  onDismiss(id: string): void;
  onHold(): void;
  onRelease(): void;
}

/**
 * The toast region: a manual popover, so it sits in the top layer above the page whatever the
 * page's stacking contexts (where the Popover API is missing it falls back to `z-index`).
 * A critical toast is an alert and stays; a high one is a status and hides by itself.
 */
export function renderToasts(view: ToastsView): TemplateResult {
  const { t } = view;
  return html`
    <div class="toasts" popover="manual" @pointerenter=${view.onHold} @pointerleave=${view.onRelease} @focusin=${view.onHold} @focusout=${view.onRelease}>
      ${repeat(
        view.toasts,
        (toast) => toast.notification.id,
        ({ notification, sticky }) => html`
          <div class="toast ${notification.priority}" part="toast" role=${sticky ? 'alert' : 'status'}>
            ${sticky ? criticalIcon : highIcon}
            <div>
              <button class="toast-title" type="button" @click=${() => view.onOpen(notification)}>${notification.title}</button>
              ${notification.body ? html`<p>${notification.body}</p>` : ''}
            </div>
            <button class="icon-button" type="button" aria-label=${t.t('dismiss')} title=${t.t('dismiss')} @click=${() => view.onDismiss(notification.id)}>
              ${closeIcon}
            </button>
          </div>
        `,
      )}
    </div>
  `;
}
