import { html, nothing, type TemplateResult } from 'lit';
import type { Translator } from '../locales/index.ts';
import { closeIcon, criticalIcon, offlineIcon } from './icons.ts';

export interface BannersView {
  t: Translator;
  /** The browser is offline or the client is reconnecting. */
  offline: boolean;
  /** The client stopped for good. */
  disconnected: boolean;
  /** A change the API refused, until dismissed or the next change. */
  notice: string | undefined;
  onDismissNotice(): void;
}

/** The banners under the panel's title: the connection's state, and a refused change. */
export function renderBanners(view: BannersView): TemplateResult {
  const { t } = view;
  const connection =
    view.offline || view.disconnected
      ? html`<div class="banner" role="status">
          ${offlineIcon}
          <p>${t.t(view.offline ? 'offline' : 'disconnected')}</p>
        </div>`
      : nothing;
  const notice = view.notice
    ? html`<div class="banner error" role="alert">
        ${criticalIcon}
        <p>${view.notice}</p>
        <button class="icon-button" type="button" aria-label=${t.t('dismiss')} title=${t.t('dismiss')} @click=${view.onDismissNotice}>${closeIcon}</button>
      </div>`
    : nothing;
  return html`${connection}${notice}`;
}
