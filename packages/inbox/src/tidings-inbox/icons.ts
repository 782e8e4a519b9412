import { html, svg, type SVGTemplateResult } from 'lit';

// 24×24 line icons drawn with currentColor; all decorative (the controls carry the names).
// The paths are `svg` templates: an `html` one would create them outside the SVG namespace.
const icon = (paths: SVGTemplateResult, className = '') =>
  html`<svg
    class="icon ${className}"
    viewBox="0 0 24 24"
    width="20"
    height="20"
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    ${paths}
  </svg>`;

export const bellIcon = icon(svg`<path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"></path><path d="M13.7 21a2 2 0 0 1-3.4 0"></path>`);
export const closeIcon = icon(svg`<path d="M18 6 6 18M6 6l12 12"></path>`);
export const settingsIcon = icon(
  svg`<path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0"></path><circle cx="16" cy="6" r="2"></circle><circle cx="10" cy="12" r="2"></circle><circle cx="18" cy="18" r="2"></circle>`,
);
export const backIcon = icon(svg`<path d="M19 12H5M12 19l-7-7 7-7"></path>`, 'flip-rtl');
export const checkIcon = icon(svg`<path d="M20 6 9 17l-5-5"></path>`);
export const checkAllIcon = icon(svg`<path d="M18 6 7 17l-5-5M22 10l-7.5 7.5L13 16"></path>`);
export const unreadIcon = icon(svg`<circle cx="12" cy="12" r="4"></circle><circle cx="12" cy="12" r="9"></circle>`);
export const trashIcon = icon(
  svg`<path d="M3 6h18M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6M10 11v6M14 11v6M9 6V4a1 1 0 0 1 1-1h4a1 1 0 0 1 1 1v2"></path>`,
);
export const searchIcon = icon(svg`<circle cx="11" cy="11" r="7"></circle><path d="m21 21-4.3-4.3"></path>`);
export const criticalIcon = icon(svg`<path d="M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0zM12 9v4M12 17h0"></path>`);
export const highIcon = icon(svg`<circle cx="12" cy="12" r="9"></circle><path d="M12 7v6M12 17h0"></path>`);
export const lockIcon = icon(svg`<rect x="4" y="11" width="16" height="10" rx="2"></rect><path d="M8 11V7a4 4 0 0 1 8 0v4"></path>`);
export const offlineIcon = icon(
  svg`<path d="M2 2l20 20M8.5 16.4a5 5 0 0 1 7 0M5 12.9a10 10 0 0 1 5.2-2.8M19 12.9a10 10 0 0 0-2.6-1.8M2 8.8a15 15 0 0 1 4.2-2.6M22 8.8A15 15 0 0 0 11 5.1M12 20h0"></path>`,
);
export const inboxIcon = icon(
  svg`<path d="M22 12h-6l-2 3h-4l-2-3H2"></path><path d="M5.5 5.1 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.5-6.9A2 2 0 0 0 16.8 4H7.2a2 2 0 0 0-1.7 1.1z"></path>`,
);
export const moreIcon = icon(svg`<circle cx="12" cy="5" r="1.2"></circle><circle cx="12" cy="12" r="1.2"></circle><circle cx="12" cy="19" r="1.2"></circle>`);
