import '@tidings/inbox';
import type { TidingsInbox as InboxElement, TidingsNavigateEvent } from '@tidings/inbox';
import { createElement, useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useTidingsContext, type TidingsTheme } from './provider.tsx';

/** A layout effect in the browser; on a server (where effects never run) a plain one, which React does not warn about. */
const useClientLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

export type { TidingsNavigateEvent };

export interface TidingsInboxProps {
  /** Overrides the provider's `locale`. */
  locale?: string;
  /** Overrides the provider's `theme`. */
  theme?: TidingsTheme;
  /**
   * Called for every `tidings:navigate` (a notification was clicked; `detail` has the notification
   * and its url); call `event.preventDefault()` to route in the app instead of following the url.
   */
  onNavigate?: (event: TidingsNavigateEvent) => void;
}

/**
 * `<tidings-inbox>` (the bell and its panel) on the provider's client, so the element and the hooks
 * share one connection. The client is set as a property through a ref, which React 18 needs
 * (it would set an attribute) and React 19 does not mind.
 */
export function TidingsInbox({ locale, theme, onNavigate }: TidingsInboxProps): ReactNode {
  const context = useTidingsContext();
  const element = useRef<InboxElement>(null);
  const navigate = useRef(onNavigate);
  useClientLayoutEffect(() => {
    navigate.current = onNavigate;
  });
  // Layout effect: the property is in place before the element's first (microtask) update.
  useClientLayoutEffect(() => {
    if (element.current) element.current.client = context.client;
  }, [context.client]);
  useEffect(() => {
    const target = element.current;
    if (!target) return;
    const listener = (event: TidingsNavigateEvent) => navigate.current?.(event);
    target.addEventListener('tidings:navigate', listener);
    return () => target.removeEventListener('tidings:navigate', listener);
  }, []);
  return createElement('tidings-inbox', { ref: element, locale: locale ?? context.locale, theme: theme ?? context.theme });
}
