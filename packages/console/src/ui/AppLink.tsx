import type { ReactNode } from 'react';
import { Link } from 'wouter';

/** Where the console lives; the router's base. */
export const CONSOLE_BASE = '/console';

/** `to` as a console path from any nested page (wouter's `~` escapes the page's own base). */
export function appHref(to: string): string {
  return `~${CONSOLE_BASE}${to}`;
}

/** A link to another console page, e.g. `<AppLink to="/broadcasts?highlight=…">` from inside /compose. */
export function AppLink({ to, className, children }: { to: string; className?: string; children: ReactNode }) {
  return (
    <Link href={appHref(to)} className={className}>
      {children}
    </Link>
  );
}
