import type { Preferences, PreferencesUpdate } from '@tidings/client';
import { html, nothing, type TemplateResult } from 'lit';
import type { BrowserNotificationState } from '../controllers/browser-notifier.ts';
import type { LoadStatus } from '../controllers/list-controller.ts';
import type { SaveStatus } from '../controllers/preferences-controller.ts';
import { label } from '../controllers/type-catalog.ts';
import type { Translator } from '../locales/index.ts';
import type { UserNotificationType } from '../types.ts';
import { lockIcon } from './icons.ts';

export interface PreferencesView {
  t: Translator;
  preferences: Preferences | undefined;
  status: LoadStatus;
  saveStatus: SaveStatus;
  types: readonly UserNotificationType[];
  browser: BrowserNotificationState;
  onChange(change: PreferencesUpdate): void;
  onRetry(): void;
  onEnableBrowser(): void;
  onDisableBrowser(): void;
}

type Channel = 'in_app' | 'email';

export function renderPreferences(view: PreferencesView): TemplateResult {
  const { t, preferences, status } = view;
  if (status === 'error') {
    return html`
      <div class="prefs">
        <div class="state" role="alert">
          <p>${t.t('preferencesLoadFailed')}</p>
          <button class="solid-button" type="button" @click=${view.onRetry}>${t.t('retry')}</button>
        </div>
      </div>
    `;
  }
  if (!preferences) {
    return html`<div class="prefs" role="status"><p class="hint">${t.t('loading')}</p></div>`;
  }
  return html`
    <div class="prefs">
      <section aria-labelledby="prefs-channels">
        <h3 id="prefs-channels">${t.t('channelsHeading')}</h3>
        ${renderSwitch('pref-in-app', t.t('inAppAll'), preferences.in_app_enabled, (on) => view.onChange({ in_app_enabled: on }))}
        ${renderSwitch('pref-email', t.t('emailAll'), preferences.email_enabled, (on) => view.onChange({ email_enabled: on }))}
        <div class="row">
          <div class="row-text">
            <label for="pref-digest">${t.t('digest')}</label>
            <p class="hint" id="pref-digest-hint">${t.t('digestHint')}</p>
          </div>
          <select
            id="pref-digest"
            aria-describedby="pref-digest-hint"
            @change=${(event: Event) => view.onChange({ digest: (event.target as HTMLSelectElement).value as Preferences['digest'] })}
          >
            <option value="off" ?selected=${preferences.digest === 'off'}>${t.t('digestOff')}</option>
            <option value="daily" ?selected=${preferences.digest === 'daily'}>${t.t('digestDaily')}</option>
            <option value="weekly" ?selected=${preferences.digest === 'weekly'}>${t.t('digestWeekly')}</option>
          </select>
        </div>
      </section>
      ${view.types.length > 0 ? renderTypeGrid(view, preferences) : nothing}
      <section aria-labelledby="prefs-browser">
        <h3 id="prefs-browser">${t.t('browserHeading')}</h3>
        ${renderBrowser(view)}
      </section>
      <p class="save-status ${view.saveStatus}" role="status">${saveText(view)}</p>
    </div>
  `;
}

function renderSwitch(id: string, text: string, checked: boolean, change: (on: boolean) => void): TemplateResult {
  return html`
    <div class="row">
      <label for=${id}>${text}</label>
      <input id=${id} type="checkbox" role="switch" .checked=${checked} @change=${(event: Event) => change((event.target as HTMLInputElement).checked)} />
    </div>
  `;
}

function renderTypeGrid(view: PreferencesView, preferences: Preferences): TemplateResult {
  const { t } = view;
  const hasCritical = view.types.some((type) => type.critical);
  return html`
    <section aria-labelledby="prefs-types">
      <h3 id="prefs-types">${t.t('typesHeading')}</h3>
      <table class="grid">
        <thead>
          <tr>
            <th scope="col">${t.t('typeColumn')}</th>
            <th scope="col" class="channel" id="col-in_app">${t.t('inApp')}</th>
            <th scope="col" class="channel" id="col-email">${t.t('email')}</th>
          </tr>
        </thead>
        <tbody>
          ${view.types.map(
            (type) => html`
              <tr>
                <th scope="row" id="type-${type.key}">
                  ${label(type)} ${type.critical ? html`<span class="locked">${lockIcon}${t.t('priorityCritical')}</span>` : nothing}
                </th>
                ${renderCell(view, preferences, type, 'in_app')} ${renderCell(view, preferences, type, 'email')}
              </tr>
            `,
          )}
        </tbody>
      </table>
      ${hasCritical ? html`<p class="hint" id="prefs-locked">${t.t('lockedHint')}</p>` : nothing}
    </section>
  `;
}

/** A critical type ignores opt-outs, so its boxes show the type's default and cannot be changed. */
function renderCell(view: PreferencesView, preferences: Preferences, type: UserNotificationType, channel: Channel): TemplateResult {
  const fallback = channel === 'in_app' ? type.default_in_app : type.default_email;
  const override = preferences.types[type.key];
  const checked = type.critical ? fallback : (override?.[channel] ?? fallback);
  const change = (event: Event) => {
    const on = (event.target as HTMLInputElement).checked;
    view.onChange({ types: { [type.key]: { ...override, [channel]: on } } });
  };
  return html`
    <td>
      <input
        type="checkbox"
        aria-labelledby="type-${type.key} col-${channel}"
        aria-describedby=${type.critical ? 'prefs-locked' : nothing}
        .checked=${checked}
        ?disabled=${type.critical}
        @change=${change}
      />
    </td>
  `;
}

function renderBrowser(view: PreferencesView): TemplateResult {
  const { t, browser } = view;
  switch (browser) {
    case 'unsupported':
      return html`<p class="hint">${t.t('browserUnsupported')}</p>`;
    case 'denied':
      return html`<p class="hint">${t.t('browserDenied')}</p>`;
    case 'on':
      return html`
        <div class="browser">
          <p class="hint">${t.t('browserOn')}</p>
          <button class="outline-button" type="button" @click=${view.onDisableBrowser}>${t.t('browserDisable')}</button>
        </div>
      `;
    case 'off':
      return html`<div class="browser"><button class="outline-button" type="button" @click=${view.onEnableBrowser}>${t.t('browserEnable')}</button></div>`;
  }
}

function saveText(view: PreferencesView): string {
  switch (view.saveStatus) {
    case 'saving':
      return view.t.t('saving');
    case 'saved':
      return view.t.t('saved');
    case 'failed':
      return view.t.t('saveFailed');
    case 'idle':
      return '';
  }
}
