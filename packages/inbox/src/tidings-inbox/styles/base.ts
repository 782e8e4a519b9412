import { css } from 'lit';
import { darkPalette, lightPalette } from './palette.ts';

/** The host, its themes, and the controls every view shares. */
export const base = css`
  :host {
    ${lightPalette}
    --_radius: var(--tidings-radius, 12px);
    --_font: var(--tidings-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif);
    display: inline-block;
    position: relative;
    font-family: var(--_font);
    font-size: var(--tidings-font-size, 14px);
    line-height: 1.45;
    vertical-align: middle;
  }
  :host([theme='dark']) {
    ${darkPalette}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${darkPalette}
    }
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
  .icon {
    flex: none;
    display: block;
  }
  /*
   * Titles and bodies are the sender's text, in any script: each is laid out in its own direction,
   * as dir="auto" would (an English sentence in a right-to-left page keeps its full stop at its end).
   */
  .title,
  .body,
  .toast-title,
  .toast p {
    unicode-bidi: plaintext;
  }
  .flip-rtl:dir(rtl) {
    transform: scaleX(-1);
  }
  button,
  input,
  select {
    font: inherit;
    color: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .icon-button {
    display: inline-grid;
    place-items: center;
    inline-size: 36px;
    block-size: 36px;
    padding: 0;
    border: 0;
    border-radius: 8px;
    background: transparent;
    color: var(--_muted);
    cursor: pointer;
  }
  .icon-button:hover {
    background: var(--_hover);
    color: var(--_fg);
  }
  .text-button {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-block-size: 32px;
    padding-block: 4px;
    padding-inline: 10px;
    border: 0;
    border-radius: 8px;
    background: transparent;
    color: var(--_accent);
    font-weight: 600;
    cursor: pointer;
  }
  .text-button:hover:not(:disabled) {
    background: var(--_hover);
  }
  .text-button:disabled {
    color: var(--_muted);
    cursor: default;
    opacity: 0.75;
  }
  .text-button .icon {
    inline-size: 18px;
    block-size: 18px;
  }
  .outline-button {
    min-block-size: 36px;
    padding-block: 6px;
    padding-inline: 14px;
    border: 1px solid var(--_field);
    border-radius: 8px;
    background: var(--_bg);
    color: var(--_accent);
    font-weight: 600;
    cursor: pointer;
  }
  .outline-button:hover {
    background: var(--_hover);
  }
  .solid-button {
    min-block-size: 36px;
    padding-block: 6px;
    padding-inline: 16px;
    border: 0;
    border-radius: 8px;
    background: var(--_accent);
    color: var(--_accent-fg);
    font-weight: 600;
    cursor: pointer;
  }
`;
