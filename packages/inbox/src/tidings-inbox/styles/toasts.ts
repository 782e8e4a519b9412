import { css } from 'lit';

/** Toasts for high and critical arrivals. */
export const toasts = css`
  .toasts {
    position: fixed;
    inset: auto;
    inset-block-end: 16px;
    inset-inline-end: 16px;
    z-index: var(--tidings-z-index, 1000);
    display: grid;
    gap: 8px;
    inline-size: min(360px, calc(100vw - 32px));
    margin: 0;
    padding: 0;
    overflow: visible;
    border: 0;
    background: transparent;
    color: var(--_fg);
  }
  .toasts:not(:popover-open):empty {
    display: none;
  }
  .toast {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    gap: 10px;
    align-items: start;
    padding-block: 12px;
    padding-inline: 12px 6px;
    border: 1px solid var(--_border);
    border-inline-start: 4px solid var(--_high);
    border-radius: var(--_radius);
    background: var(--_bg);
    box-shadow: var(--_shadow);
    font-family: var(--_font);
  }
  .toast.critical {
    border-inline-start-color: var(--_critical);
  }
  .toast > .icon {
    inline-size: 20px;
    block-size: 20px;
    margin-block-start: 1px;
    color: var(--_high);
  }
  .toast.critical > .icon {
    color: var(--_critical);
  }
  .toast-title {
    display: block;
    inline-size: 100%;
    padding: 0;
    border: 0;
    background: none;
    font-weight: 700;
    text-align: start;
    overflow-wrap: anywhere;
    cursor: pointer;
  }
  .toast-title:hover {
    text-decoration: underline;
  }
  .toast p {
    margin-block: 2px 0;
    margin-inline: 0;
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  .toast .icon-button {
    inline-size: 32px;
    block-size: 32px;
    margin-block: -6px;
  }
`;
