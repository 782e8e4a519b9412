import type { InboxApi, Preferences, PreferencesUpdate, TidingsClient } from '@tidings/client';
import { perClient, Store } from './store.ts';

/** A notification type the user may set preferences for (`GET /v1/notification-types`). */
export type UserNotificationType = Awaited<ReturnType<InboxApi['types']>>[number];

/** What {@link PreferencesStore} needs of a client. */
export type PreferencesClient = Pick<TidingsClient, 'preferences' | 'inbox'>;

export interface PreferencesSnapshot {
  /** The full document; undefined until the first load. */
  preferences: Preferences | undefined;
  types: UserNotificationType[];
  /** Nothing has loaded yet, or a load is in flight. */
  loading: boolean;
  /** Why the last load failed; cleared by the next one that succeeds. */
  error: Error | undefined;
}

/** The user's preferences and the types they apply to, loaded when the first reader mounts. */
export class PreferencesStore extends Store<PreferencesSnapshot> {
  /** Bumped by every load: an answer that a newer load superseded is dropped. */
  private loads = 0;
  /** Bumped by every update: a load that started before one keeps the updated document. */
  private updates = 0;

  constructor(private readonly client: PreferencesClient) {
    super({ preferences: undefined, types: [], loading: true, error: undefined });
  }

  /** `PUT /v1/preferences` with any part of the document; answers (and shows) the full document after it. */
  readonly update = async (change: PreferencesUpdate): Promise<Preferences> => {
    const preferences = await this.client.preferences.update(change);
    this.updates++;
    this.snapshot = { ...this.snapshot, preferences };
    return preferences;
  };

  protected start(): void {
    void this.load();
  }

  protected stop(): void {
    // Nothing to detach: preferences have no live events. The next reader loads them again.
  }

  private async load(): Promise<void> {
    const load = ++this.loads;
    const updates = this.updates;
    this.snapshot = { ...this.snapshot, loading: true };
    try {
      const [preferences, types] = await Promise.all([this.client.preferences.get(), this.client.inbox.types()]);
      if (load !== this.loads) return;
      // An update that landed meanwhile has the newer document; the types are still good.
      this.snapshot = { preferences: updates === this.updates ? preferences : this.snapshot.preferences, types, loading: false, error: undefined };
    } catch (error) {
      if (load !== this.loads) return;
      this.snapshot = { ...this.snapshot, loading: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
  }
}

export const preferencesStore = perClient((client: PreferencesClient) => new PreferencesStore(client));
