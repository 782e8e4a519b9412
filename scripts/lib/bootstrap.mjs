// Bootstrap helpers for `npm start` and `npm test`. Node built-ins only: these run before any
// install, on a machine that may have nothing but Node 20 and npm.
export { DATA_DIR, ROOT, run } from './process.mjs';
export { build, buildWeb, ensurePnpm, install } from './pnpm.mjs';
export { ensureServices, probe } from './services.mjs';
export { CHROMIUM_PATH, ensureChromium } from './chromium.mjs';
