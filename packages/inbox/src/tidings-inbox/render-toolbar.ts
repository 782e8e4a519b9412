import { html, type TemplateResult } from 'lit';
import { label } from '../controllers/type-catalog.ts';
import type { ListFilters } from '../controllers/list-controller.ts';
import type { Translator } from '../locales/index.ts';
import type { UserNotificationType } from '../types.ts';
import { searchIcon } from './icons.ts';

export interface ToolbarView {
  t: Translator;
  filters: ListFilters;
  /** The search box's text, which reaches `filters.q` after a pause in typing. */
  searchText: string;
  types: readonly UserNotificationType[];
  onSearch(event: Event): void;
  onType(event: Event): void;
  onUnreadOnly(event: Event): void;
}

export function renderToolbar(view: ToolbarView): TemplateResult {
  const { t, filters } = view;
  return html`
    <div class="toolbar" part="toolbar">
      <div class="search" role="search">
        ${searchIcon}
        <input type="search" aria-label=${t.t('search')} placeholder=${t.t('search')} .value=${view.searchText} @input=${view.onSearch} />
      </div>
      <div class="filters">
        <select aria-label=${t.t('typeFilter')} @change=${view.onType}>
          <option value="" ?selected=${filters.type === ''}>${t.t('allTypes')}</option>
          ${view.types.map((type) => html`<option value=${type.key} ?selected=${filters.type === type.key}>${label(type)}</option>`)}
        </select>
        <label class="switch">
          <input type="checkbox" role="switch" .checked=${filters.unreadOnly} @change=${view.onUnreadOnly} />
          <span>${t.t('unreadOnly')}</span>
        </label>
      </div>
    </div>
  `;
}
