/// <reference lib="dom" />
import type { BrowserContextOptions, Page } from 'playwright-core';
import { watchPage, type WebStack } from './web-stack.ts';

/** Opens the console (signed out) in a new context of its own. */
export async function openConsole(stack: WebStack, options: BrowserContextOptions = {}, path = '/'): Promise<Page> {
  const context = await stack.context({ timezoneId: 'UTC', ...options });
  const page = await context.newPage();
  // Fail a step with its own call log well before the test's timeout.
  page.setDefaultTimeout(15_000);
  watchPage(page);
  await page.goto(`${stack.apiUrl}/console${path}`);
  return page;
}

/**
 * Signs in through the development sign-in as `sub` (an admin). With `stayInTab` (the default) the
 * token is kept for the tab, so `page.goto` within the console keeps the session.
 */
export async function devSignIn(page: Page, sub = 'root', stayInTab = true): Promise<void> {
  if (stayInTab) await page.getByRole('checkbox', { name: 'Stay signed in in this tab' }).check();
  await page.getByLabel('User id').fill(sub);
  const button = page.getByRole('button', { name: 'Sign in for development' });
  await button.click();
  await button.waitFor({ state: 'detached' });
}

/** Opens the console and signs in: the page on the overview. */
export async function signedInConsole(stack: WebStack, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await openConsole(stack, options);
  await devSignIn(page);
  await heading(page, 'Overview').waitFor();
  return page;
}

/** A page of the console by its name in the main navigation (opening the menu first on a phone). */
export async function goTo(page: Page, name: string): Promise<void> {
  const navigation = page.getByRole('navigation', { name: 'Main' });
  const menu = page.getByRole('button', { name: 'Menu' });
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  await navigation.getByRole('link', { name, exact: true }).click();
}

/** The page's title: its one level-1 heading. */
export const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
