import { StrictMode, useEffect, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import {
  TidingsInbox,
  TidingsProvider,
  useConnectionState,
  useNotifications,
  usePreferences,
  useTidingsClient,
  useUnreadCount,
  type TidingsClient,
  type UseNotificationsOptions,
} from '../../src/index.ts';
import type { MountOptions, TestAppApi } from './api.ts';

const params = new URLSearchParams(location.search);
const apiUrl = params.get('api') ?? '';
const gatewayUrl = params.get('gateway') ?? '';
const getToken = async () => 'token-alice';

let root: Root | undefined;
let lastClient: TidingsClient | undefined;
const navigated: string[] = [];
let states: string[] = [];

/** Keeps the provider's client, and its state changes from before it connects (a child's effect runs before its parent's). */
function CaptureClient(): null {
  const client = useTidingsClient();
  lastClient = client;
  useEffect(() => client.on('state', ({ state }) => states.push(state)), [client]);
  return null;
}

function Bell(): ReactNode {
  const count = useUnreadCount();
  return <button type="button">{count === undefined ? 'Notifications' : `Notifications, ${count} unread`}</button>;
}

function TitleCount(): null {
  const count = useUnreadCount();
  useEffect(() => {
    document.title = count ? `(${count}) Test app` : 'Test app';
  }, [count]);
  return null;
}

function Connection(): ReactNode {
  return <p aria-label="Connection">{useConnectionState()}</p>;
}

function List(options: UseNotificationsOptions): ReactNode {
  const { items, loading, error, hasMore, loadMore, markRead, markUnread, remove, markAllRead, clearRead } = useNotifications(options);
  return (
    <section aria-label="Inbox">
      <ul aria-label="Notifications" aria-busy={loading}>
        {items.map((n) => (
          <li key={n.id} aria-label={`${n.title}, ${n.is_read ? 'read' : 'unread'}`}>
            {n.title}
            {n.is_read ? (
              <button type="button" onClick={() => void markUnread(n.id)}>{`Mark ${n.title} unread`}</button>
            ) : (
              <button type="button" onClick={() => void markRead(n.id)}>{`Mark ${n.title} read`}</button>
            )}
            <button type="button" onClick={() => void remove(n.id)}>{`Delete ${n.title}`}</button>
          </li>
        ))}
      </ul>
      {hasMore && (
        <button type="button" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
      <button type="button" onClick={() => void markAllRead()}>
        Mark all read
      </button>
      <button type="button" onClick={() => void clearRead()}>
        Clear read
      </button>
      {error && <p role="alert">{error.message}</p>}
    </section>
  );
}

function Preferences(): ReactNode {
  const { preferences, types, loading, error, update } = usePreferences();
  if (!preferences) return <p>{error ? error.message : loading ? 'Loading preferences' : ''}</p>;
  return (
    <form aria-label="Preferences">
      <label>
        <input type="checkbox" role="switch" checked={preferences.email_enabled} onChange={(e) => void update({ email_enabled: e.target.checked })} />
        Email
      </label>
      <ul aria-label="Types">
        {types.map((type) => (
          <li key={type.key}>
            <label>
              <input
                type="checkbox"
                role="switch"
                disabled={type.critical}
                checked={preferences.types[type.key]?.email ?? type.default_email}
                onChange={(e) => void update({ types: { [type.key]: { email: e.target.checked } } })}
              />
              {`Email for ${type.description ?? type.key}`}
            </label>
          </li>
        ))}
      </ul>
    </form>
  );
}

function View({ view, pageSize, unreadOnly, type, q }: MountOptions): ReactNode {
  switch (view) {
    case 'inbox':
      return (
        <>
          <Bell />
          <TitleCount />
          <Connection />
          <List pageSize={pageSize} unreadOnly={unreadOnly} type={type} q={q} />
        </>
      );
    case 'preferences':
      return <Preferences />;
    case 'element':
      return (
        <>
          <TidingsInbox
            onNavigate={(event) => {
              event.preventDefault();
              navigated.push(event.detail.url);
            }}
          />
          <Connection />
          <List pageSize={pageSize} />
        </>
      );
  }
}

const api: TestAppApi = {
  mount(options) {
    api.unmount();
    states = [];
    root = createRoot(document.getElementById('root')!);
    const app = (
      <TidingsProvider apiUrl={apiUrl} gatewayUrl={gatewayUrl} getToken={getToken} locale="en" theme="light">
        <CaptureClient />
        <View {...options} />
      </TidingsProvider>
    );
    root.render(options.strict ? <StrictMode>{app}</StrictMode> : app);
  },
  unmount() {
    root?.unmount();
    root = undefined;
  },
  clientState: () => lastClient?.state,
  stateChanges: () => [...states],
  elementDefined: () => customElements.get('tidings-inbox') !== undefined,
  elementHasProviderClient() {
    const element = document.querySelector('tidings-inbox') as (HTMLElement & { client?: unknown }) | null;
    return element !== null && lastClient !== undefined && element.client === lastClient;
  },
  navigateFromElement(url) {
    const element = document.querySelector('tidings-inbox')!;
    const event = new CustomEvent('tidings:navigate', { cancelable: true, bubbles: true, composed: true, detail: { notification: null, url } });
    return !element.dispatchEvent(event);
  },
  navigated: () => [...navigated],
};

(globalThis as unknown as { testApp: TestAppApi }).testApp = api;
