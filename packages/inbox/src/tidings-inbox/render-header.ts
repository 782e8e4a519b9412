import { html, nothing, type TemplateResult } from 'lit';
import type { Translator } from '../locales/index.ts';
import { backIcon, checkAllIcon, closeIcon, moreIcon, settingsIcon, trashIcon } from './icons.ts';

export interface HeaderView {
  t: Translator;
  view: 'inbox' | 'preferences';
  menuOpen: boolean;
  canMarkAllRead: boolean;
  canClearRead: boolean;
  onBack(): void;
  onPreferences(): void;
  onClose(): void;
  onMenuButton(event: Event): void;
  onMenuKeydown(event: KeyboardEvent): void;
  onMenuFocusout(event: FocusEvent): void;
  onMarkAllRead(): void;
  onClearRead(): void;
}

/**
 * The panel's title bar. In the inbox: the bulk actions behind a "More actions" menu button (a
 * WAI-ARIA menu: arrow keys move, Escape closes), preferences, close. In preferences: back, close.
 */
export function renderHeader(view: HeaderView): TemplateResult {
  const { t } = view;
  const inPreferences = view.view === 'preferences';
  return html`
    <div class="header" part="header">
      ${inPreferences ? iconButton(t.t('backToInbox'), backIcon, view.onBack, 'back') : nothing}
      <h2 id="panel-title" tabindex="-1">${t.t(inPreferences ? 'preferencesTitle' : 'panelTitle')}</h2>
      ${inPreferences ? nothing : renderMenu(view)} ${inPreferences ? nothing : iconButton(t.t('openPreferences'), settingsIcon, view.onPreferences)}
      ${iconButton(t.t('close'), closeIcon, view.onClose)}
    </div>
  `;
}

function iconButton(label: string, icon: TemplateResult, onClick: () => void, className = ''): TemplateResult {
  return html`<button class="icon-button ${className}" type="button" aria-label=${label} title=${label} @click=${onClick}>${icon}</button>`;
}

function renderMenu(view: HeaderView): TemplateResult {
  const { t } = view;
  return html`
    <div class="menu-anchor">
      <button
        class="icon-button"
        id="menu-button"
        type="button"
        aria-label=${t.t('moreActions')}
        title=${t.t('moreActions')}
        aria-haspopup="menu"
        aria-expanded=${view.menuOpen ? 'true' : 'false'}
        aria-controls=${view.menuOpen ? 'menu' : nothing}
        @click=${view.onMenuButton}
        @keydown=${view.onMenuButton}
      >
        ${moreIcon}
      </button>
      ${
        view.menuOpen
          ? html`
              <div class="menu" id="menu" role="menu" aria-labelledby="menu-button" @keydown=${view.onMenuKeydown} @focusout=${view.onMenuFocusout}>
                ${menuItem(t.t('markAllRead'), checkAllIcon, view.canMarkAllRead, view.onMarkAllRead)}
                ${menuItem(t.t('clearRead'), trashIcon, view.canClearRead, view.onClearRead)}
              </div>
            `
          : nothing
      }
    </div>
  `;
}

/** A disabled item stays focusable (aria-disabled), as menus keep every item reachable. */
function menuItem(label: string, icon: TemplateResult, enabled: boolean, onClick: () => void): TemplateResult {
  return html`
    <button role="menuitem" type="button" tabindex="-1" aria-disabled=${enabled ? 'false' : 'true'} @click=${() => enabled && onClick()}>
      ${icon}<span>${label}</span>
    </button>
  `;
}
