// Debian's Chromium for the browser tests. Node built-ins only: this runs before any install.
import fs from 'node:fs';
import { capture, run, say } from './process.mjs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Makes sure Chromium is at CHROMIUM_PATH: installs Debian's `chromium` package with apt-get when
 * it is missing and we are root. Otherwise exits with a message that says what to run.
 */
export async function ensureChromium() {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = capture('apt-get', ['--version']).status === 0;
  if (isRoot && hasApt) {
    say(`chromium: ${CHROMIUM_PATH} is missing; installing Debian's chromium package with apt-get`);
    let code = await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (code !== 0) {
      // An old package index: refresh it once and try again.
      await run('apt-get', ['update'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      code = await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    }
    if (code === 0 && fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  }
  console.error(
    `The browser tests need Chromium at ${CHROMIUM_PATH}. ` +
      (isRoot ? 'apt-get could not install it' : 'Run `sudo apt-get install -y chromium`') +
      ' (or set CHROMIUM_PATH to a Chromium or Chrome binary), then run the tests again.',
  );
  process.exit(1);
}
