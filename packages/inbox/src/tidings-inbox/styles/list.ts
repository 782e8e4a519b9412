import { css } from 'lit';

/** The list: items, the load-more row, empty and error states, the loading skeleton. */
export const list = css`
  .scroller {
    flex: 1;
    min-block-size: 0;
    /* Its size comes from the panel, never from the items: changes inside stay inside. */
    contain: strict;
    overflow-y: auto;
    overscroll-behavior: contain;
    border-block-start: 1px solid var(--_border);
  }
  .refreshing {
    block-size: 2px;
    background: linear-gradient(90deg, transparent, var(--_accent), transparent);
  }
  .item {
    position: relative;
    display: grid;
    grid-template-columns: 36px minmax(0, 1fr) auto;
    gap: 12px;
    padding-block: 12px;
    padding-inline: 20px 8px;
    border-block-end: 1px solid var(--_border);
    cursor: pointer;
    /* Items out of view skip layout and paint: a long list costs what the visible part costs. */
    content-visibility: auto;
    contain-intrinsic-size: auto 96px;
  }
  .item:hover {
    background: var(--_hover);
  }
  .item:focus-visible {
    outline-offset: -2px;
  }
  .item.unread {
    background: var(--_unread-bg);
  }
  .item.unread:hover {
    background: color-mix(in srgb, var(--_unread-bg), var(--_fg) 4%);
  }
  .item.unread::before {
    content: '';
    position: absolute;
    inset-block-start: 22px;
    inset-inline-start: 6px;
    inline-size: 8px;
    block-size: 8px;
    border-radius: 50%;
    background: var(--_accent);
  }
  /* High and critical items carry a bar at the inline start, besides their labelled tag. */
  .item.high::after,
  .item.critical::after {
    content: '';
    position: absolute;
    inset-block: 0;
    inset-inline-start: 0;
    inline-size: 4px;
    background: var(--_high);
  }
  .item.critical::after {
    background: var(--_critical);
  }
  .item.critical {
    background: var(--_critical-bg);
  }
  .avatar {
    display: grid;
    place-items: center;
    inline-size: 36px;
    block-size: 36px;
    border-radius: 50%;
    overflow: hidden;
    background: color-mix(in srgb, var(--_accent) 14%, var(--_bg));
    color: var(--_accent);
  }
  .avatar img {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  .avatar .icon {
    inline-size: 18px;
    block-size: 18px;
  }
  .content {
    min-inline-size: 0;
  }
  .title {
    margin: 0;
    font-size: inherit;
    font-weight: 500;
    overflow-wrap: anywhere;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    overflow: hidden;
  }
  .unread .title {
    font-weight: 700;
  }
  .title a {
    color: inherit;
    text-decoration: none;
  }
  .title a:hover {
    text-decoration: underline;
  }
  .body {
    margin-block: 2px 0;
    margin-inline: 0;
    color: var(--_muted);
    overflow-wrap: anywhere;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    overflow: hidden;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 8px;
    margin-block: 6px 0;
    margin-inline: 0;
    color: var(--_muted);
    font-size: 12px;
  }
  .tag {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding-block: 1px;
    padding-inline: 6px;
    border: 1px solid currentColor;
    border-radius: 999px;
    font-weight: 650;
  }
  .tag .icon {
    inline-size: 13px;
    block-size: 13px;
  }
  .tag.high {
    color: var(--_high);
  }
  .tag.critical {
    color: var(--_critical);
  }
  .actions {
    display: flex;
    flex-direction: column;
    gap: 2px;
    margin-block: -6px;
  }
  .actions .icon-button {
    inline-size: 32px;
    block-size: 32px;
  }
  .actions .icon {
    inline-size: 18px;
    block-size: 18px;
  }
  .more {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 4px;
    padding: 12px;
  }
  .more p {
    margin: 0;
    color: var(--_muted);
    font-size: 13px;
  }
  .sentinel {
    block-size: 1px;
  }
  .state {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 8px;
    padding-block: 48px;
    padding-inline: 24px;
    text-align: center;
  }
  .state .icon {
    inline-size: 40px;
    block-size: 40px;
    color: var(--_muted);
    stroke-width: 1.5;
  }
  .state h3,
  .state p {
    margin: 0;
  }
  .state h3 {
    font-size: 15px;
    font-weight: 650;
  }
  .state p {
    color: var(--_muted);
  }
  .skeleton {
    display: grid;
    grid-template-columns: 36px 1fr;
    gap: 12px;
    padding-block: 14px;
    padding-inline: 20px;
    border-block-end: 1px solid var(--_border);
  }
  .skeleton span {
    display: block;
    border-radius: 6px;
    background: var(--_skeleton);
  }
  .skeleton .round {
    block-size: 36px;
    border-radius: 50%;
  }
  .skeleton .lines {
    display: grid;
    gap: 8px;
    padding-block-start: 2px;
  }
  .skeleton .lines span {
    block-size: 10px;
  }
  .skeleton .lines span:first-child {
    inline-size: 70%;
    block-size: 12px;
  }
  .skeleton .lines span:last-child {
    inline-size: 40%;
  }
  @media (prefers-reduced-motion: no-preference) {
    .skeleton span,
    .refreshing {
      animation: tidings-pulse 1.2s ease-in-out infinite;
    }
    @keyframes tidings-pulse {
      50% {
        opacity: 0.45;
      }
    }
  }
`;
