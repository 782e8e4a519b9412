import { css } from 'lit';

/*
 * Every colour is a documented custom property with a light and a dark default; the private
 * `--_*` names resolve them once, so a page can override one property for both themes or, with
 * `tidings-inbox[theme='dark'] { … }`, for one. Defaults meet WCAG AA: text 4.5:1, field borders
 * and focus rings 3:1 against the panel.
 */
export const lightPalette = css`
  color-scheme: light;
  --_bg: var(--tidings-bg, #ffffff);
  --_fg: var(--tidings-fg, #1b1f27);
  --_muted: var(--tidings-muted, #575f6d);
  --_border: var(--tidings-border, #e1e4ea);
  --_field: var(--tidings-field-border, #858c99);
  --_hover: var(--tidings-hover, #f2f4f7);
  --_unread-bg: var(--tidings-unread-bg, #f1f5ff);
  --_accent: var(--tidings-accent, #2a55c4);
  --_accent-fg: var(--tidings-accent-fg, #ffffff);
  --_badge-bg: var(--tidings-badge-bg, #c4221d);
  --_badge-fg: var(--tidings-badge-fg, #ffffff);
  --_high: var(--tidings-high, #975000);
  --_critical: var(--tidings-critical, #b3261e);
  --_critical-bg: var(--tidings-critical-bg, #fdf1f0);
  --_success: var(--tidings-success, #16703a);
  --_skeleton: #e9ecf1;
  --_shadow: var(--tidings-shadow, 0 12px 32px rgb(16 24 40 / 0.16), 0 2px 6px rgb(16 24 40 / 0.08));
`;

export const darkPalette = css`
  color-scheme: dark;
  --_bg: var(--tidings-bg, #1a1d23);
  --_fg: var(--tidings-fg, #e8eaef);
  --_muted: var(--tidings-muted, #a7aebb);
  --_border: var(--tidings-border, #30353f);
  --_field: var(--tidings-field-border, #757d8b);
  --_hover: var(--tidings-hover, #252a33);
  --_unread-bg: var(--tidings-unread-bg, #1f2738);
  --_accent: var(--tidings-accent, #91b4ff);
  --_accent-fg: var(--tidings-accent-fg, #0c1a36);
  --_badge-bg: var(--tidings-badge-bg, #c4221d);
  --_badge-fg: var(--tidings-badge-fg, #ffffff);
  --_high: var(--tidings-high, #f4b860);
  --_critical: var(--tidings-critical, #ff9a90);
  --_critical-bg: var(--tidings-critical-bg, #37201f);
  --_success: var(--tidings-success, #72d49c);
  --_skeleton: #2a2f38;
  --_shadow: var(--tidings-shadow, 0 12px 32px rgb(0 0 0 / 0.5), 0 2px 6px rgb(0 0 0 / 0.3));
`;
