import { css } from 'lit';

/** The preferences view. */
export const preferences = css`
  .prefs {
    flex: 1;
    min-block-size: 0;
    overflow-y: auto;
    padding-block: 8px 16px;
    padding-inline: 16px;
  }
  .prefs section + section {
    margin-block-start: 8px;
    border-block-start: 1px solid var(--_border);
  }
  .prefs h3 {
    margin-block: 12px 4px;
    margin-inline: 0;
    color: var(--_muted);
    font-size: 12px;
    font-weight: 700;
    letter-spacing: 0.04em;
    text-transform: uppercase;
  }
  .row {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 16px;
    min-block-size: 44px;
  }
  .row > label,
  .row-text {
    flex: 1;
  }
  .hint {
    margin: 0;
    color: var(--_muted);
    font-size: 12px;
  }
  .grid {
    inline-size: 100%;
    border-collapse: collapse;
  }
  .grid th,
  .grid td {
    padding-block: 8px;
    padding-inline: 4px;
    border-block-end: 1px solid var(--_border);
    text-align: center;
    vertical-align: middle;
  }
  .grid thead th {
    color: var(--_muted);
    font-size: 12px;
    font-weight: 600;
  }
  .grid th[scope='row'],
  .grid thead th:first-child {
    padding-inline-start: 0;
    text-align: start;
    font-weight: 500;
  }
  .grid tr:last-child > * {
    border-block-end: 0;
  }
  .grid .channel {
    inline-size: 72px;
  }
  .grid .key {
    display: block;
    color: var(--_muted);
    font-size: 12px;
    font-weight: 400;
  }
  .grid .locked {
    display: flex;
    margin-block-start: 2px;
    align-items: center;
    gap: 4px;
    color: var(--_muted);
    font-size: 12px;
    font-weight: 400;
  }
  .grid .locked .icon {
    inline-size: 13px;
    block-size: 13px;
  }
  /* Drawn rather than native, so a locked (disabled) box still reads clearly as on or off. */
  input[type='checkbox']:not([role]) {
    appearance: none;
    position: relative;
    display: inline-block;
    inline-size: 18px;
    block-size: 18px;
    margin: 0;
    border: 2px solid var(--_field);
    border-radius: 4px;
    background: var(--_bg);
    vertical-align: middle;
    cursor: pointer;
  }
  input[type='checkbox']:not([role])::before {
    content: '';
    position: absolute;
    left: 4px;
    top: 0;
    inline-size: 5px;
    block-size: 10px;
    border: solid var(--_accent-fg);
    border-width: 0 2px 2px 0;
    transform: rotate(45deg);
    opacity: 0;
  }
  input[type='checkbox']:not([role]):checked {
    border-color: var(--_accent);
    background: var(--_accent);
  }
  input[type='checkbox']:not([role]):checked::before {
    opacity: 1;
  }
  input[type='checkbox']:not([role]):disabled {
    border-style: dashed;
    background: var(--_hover);
    cursor: not-allowed;
  }
  input[type='checkbox']:not([role]):disabled:checked {
    border-style: solid;
    border-color: var(--_muted);
    background: var(--_muted);
  }
  input[type='checkbox']:not([role]):disabled::before {
    border-color: var(--_bg);
  }
  .save-status {
    min-block-size: 20px;
    margin-block: 12px 0;
    margin-inline: 0;
    font-size: 13px;
    color: var(--_muted);
  }
  .save-status.saved {
    color: var(--_success);
  }
  .save-status.failed {
    color: var(--_critical);
  }
  .browser {
    display: grid;
    gap: 8px;
    justify-items: start;
    padding-block-end: 4px;
  }
  .browser p {
    margin: 0;
  }
`;
