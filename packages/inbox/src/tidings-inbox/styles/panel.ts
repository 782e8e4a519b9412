import { css } from 'lit';

/** The bell, and the panel (a popover next to it, the whole screen on a phone) with its title bar. */
export const bell = css`
  .bell {
    position: relative;
    display: inline-grid;
    place-items: center;
    inline-size: var(--tidings-bell-size, 40px);
    block-size: var(--tidings-bell-size, 40px);
    padding: 0;
    border: 0;
    border-radius: 999px;
    background: transparent;
    color: var(--tidings-bell-color, inherit);
    cursor: pointer;
  }
  .bell:hover {
    background: color-mix(in srgb, currentColor 10%, transparent);
  }
  .bell .icon {
    inline-size: 22px;
    block-size: 22px;
  }
  .badge {
    position: absolute;
    inset-block-start: 2px;
    inset-inline-end: 0;
    min-inline-size: 18px;
    block-size: 18px;
    padding-inline: 5px;
    border-radius: 9px;
    background: var(--_badge-bg);
    color: var(--_badge-fg);
    box-shadow: 0 0 0 2px var(--tidings-badge-ring, var(--_bg));
    font-size: 11px;
    font-weight: 700;
    line-height: 18px;
    text-align: center;
    font-variant-numeric: tabular-nums;
    pointer-events: none;
  }
`;

export const panel = css`
  dialog {
    position: fixed;
    inset: auto;
    inset-block-start: var(--_top, auto);
    inset-block-end: var(--_bottom, auto);
    left: var(--_left, auto);
    inline-size: min(var(--tidings-panel-width, 400px), calc(100vw - 16px));
    block-size: min(var(--tidings-panel-height, 600px), var(--_max-height, 600px));
    max-inline-size: none;
    max-block-size: none;
    margin: 0;
    padding: 0;
    overflow: hidden;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
    box-shadow: var(--_shadow);
    font-family: var(--_font);
  }
  dialog::backdrop {
    background: transparent;
  }
  /* A phone: the panel takes the whole screen. */
  @media (max-width: 639.98px) {
    dialog {
      inset: 0;
      inline-size: 100%;
      block-size: 100%;
      border: 0;
      border-radius: 0;
      box-shadow: none;
    }
  }
  @media (prefers-reduced-motion: no-preference) and (min-width: 640px) {
    dialog[open] {
      animation: tidings-pop 120ms ease-out;
    }
    @keyframes tidings-pop {
      from {
        opacity: 0;
        transform: translateY(-4px);
      }
    }
  }
  .panel {
    display: flex;
    flex-direction: column;
    block-size: 100%;
  }
  .header {
    display: flex;
    align-items: center;
    gap: 4px;
    min-block-size: 56px;
    padding-block: 8px;
    padding-inline: 16px 8px;
    border-block-end: 1px solid var(--_border);
  }
  .header h2 {
    flex: 1;
    margin: 0;
    font-size: 16px;
    font-weight: 650;
    outline: none;
  }
  .header .back {
    margin-inline-start: -8px;
  }
  .banner {
    display: flex;
    align-items: flex-start;
    gap: 8px;
    margin: 0;
    padding-block: 8px;
    padding-inline: 16px;
    border-block-end: 1px solid var(--_border);
    background: var(--_hover);
    color: var(--_fg);
    font-size: 13px;
  }
  .banner .icon {
    inline-size: 18px;
    block-size: 18px;
    margin-block-start: 1px;
    color: var(--_muted);
  }
  .banner.error {
    background: var(--_critical-bg);
  }
  .banner.error .icon {
    color: var(--_critical);
  }
  .banner p {
    flex: 1;
    margin: 0;
  }
  .menu-anchor {
    position: relative;
  }
  .menu {
    position: absolute;
    inset-block-start: calc(100% + 4px);
    inset-inline-end: 0;
    z-index: 1;
    display: grid;
    min-inline-size: 220px;
    padding: 4px;
    border: 1px solid var(--_border);
    border-radius: 10px;
    background: var(--_bg);
    box-shadow: var(--_shadow);
  }
  [role='menuitem'] {
    display: flex;
    align-items: center;
    gap: 10px;
    inline-size: 100%;
    min-block-size: 36px;
    padding-block: 6px;
    padding-inline: 10px 16px;
    border: 0;
    border-radius: 6px;
    background: transparent;
    text-align: start;
    white-space: nowrap;
    cursor: pointer;
  }
  [role='menuitem'] .icon {
    inline-size: 18px;
    block-size: 18px;
    color: var(--_muted);
  }
  [role='menuitem']:hover,
  [role='menuitem']:focus-visible {
    background: var(--_hover);
  }
  [role='menuitem']:focus-visible {
    outline-offset: -2px;
  }
  [role='menuitem'][aria-disabled='true'] {
    color: var(--_muted);
    cursor: default;
  }
`;
