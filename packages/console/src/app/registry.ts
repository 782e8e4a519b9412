import type { ComponentType } from 'react';
import type { Locale } from '../i18n/index.tsx';

/** What each `src/pages/<name>/index.tsx` exports as `page`. */
export interface PageMeta {
  /** Where the page lives under /console; it handles its own sub-paths. */
  path: string;
  /** Position in the navigation (smaller first). */
  order: number;
  /** Its name in the navigation. */
  nav: Record<Locale, string>;
}

export interface RegisteredPage extends PageMeta {
  name: string;
  Component: ComponentType;
}

interface PageModule {
  default: ComponentType;
  page: PageMeta;
}

const modules = import.meta.glob<PageModule>('../pages/*/index.tsx', { eager: true });

function nameOf(modulePath: string): string {
  return modulePath.split('/').at(-2) ?? modulePath;
}

/** Every page, in navigation order. */
export const pages: readonly RegisteredPage[] = Object.entries(modules)
  .filter(([, module]) => typeof module.default === 'function' && module.page)
  .map(([modulePath, module]) => ({ ...module.page, name: nameOf(modulePath), Component: module.default }))
  .sort((a, b) => a.order - b.order);

/** Whether `location` (relative to /console) is in `path`. */
export function isWithin(path: string, location: string): boolean {
  if (path === '/') return location === '/' || location === '';
  return location === path || location.startsWith(`${path}/`);
}
