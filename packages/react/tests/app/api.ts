/** What the test app (main.tsx) puts on `globalThis.testApp` for the tests to drive through `page.evaluate`. */
export interface MountOptions {
  view: 'inbox' | 'preferences' | 'element';
  strict?: boolean;
  pageSize?: number;
  unreadOnly?: boolean;
  type?: string;
  q?: string;
}

export interface TestAppApi {
  /** Renders the view in a fresh root (unmounting the one before). */
  mount(options: MountOptions): void;
  unmount(): void;
  /** The connection state of the client the last provider made, even after it unmounted. */
  clientState(): string | undefined;
  /** The client's state changes seen while the view was mounted. */
  stateChanges(): string[];
  /** `customElements.get('tidings-inbox') !== undefined`. */
  elementDefined(): boolean;
  /** Whether the `<tidings-inbox>` on the page holds the provider's client. */
  elementHasProviderClient(): boolean;
  /** Dispatches a cancelable `tidings:navigate` from the element; answers whether a listener canceled it. */
  navigateFromElement(url: string): boolean;
  /** The urls `onNavigate` received. */
  navigated(): string[];
}
