import type { Preferences, PreferencesUpdate, TidingsClient } from '@tidings/client';
import type { ReactiveControllerHost } from 'lit';
import type { LoadStatus } from './list-controller.ts';

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'failed';

/** The document after `change`, as the API merges it: `types` per type, `null` drops an override. */
export function applyChange(preferences: Preferences, change: PreferencesUpdate): Preferences {
  const { types: typeChanges, ...scalars } = change;
  const types = { ...preferences.types };
  for (const [key, value] of Object.entries(typeChanges ?? {})) {
    if (value === null) delete types[key];
    else types[key] = value;
  }
  return { ...preferences, ...scalars, types };
}

/**
 * The user's preferences: loaded when the view opens, changed optimistically, saved with one PUT
 * per change. The answer to the latest PUT is what the view shows; a refused change falls back
 * to the last document the server confirmed.
 */
export class PreferencesController {
  /** What the view shows: the confirmed document plus changes being saved. */
  preferences: Preferences | undefined;
  status: LoadStatus = 'idle';
  saveStatus: SaveStatus = 'idle';

  private client: TidingsClient | undefined;
  private confirmed: Preferences | undefined;
  private latestSave = 0;
  private generation = 0;

  constructor(private readonly host: ReactiveControllerHost) {}

  attach(client: TidingsClient): void {
    this.client = client;
    this.generation++;
    this.preferences = this.confirmed = undefined;
    this.status = 'idle';
    this.saveStatus = 'idle';
  }

  detach(): void {
    this.client = undefined;
    this.generation++;
    this.preferences = this.confirmed = undefined;
    this.status = 'idle';
  }

  /** Loads the document unless it is loaded or loading. */
  ensureLoaded(): void {
    if (this.status === 'idle' || this.status === 'error') void this.load();
  }

  async load(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const generation = ++this.generation;
    this.status = 'loading';
    this.host.requestUpdate();
    try {
      const preferences = await client.preferences.get();
      if (generation !== this.generation) return;
      this.preferences = this.confirmed = preferences;
      this.status = 'ready';
    } catch {
      if (generation !== this.generation) return;
      this.status = 'error';
    }
    this.host.requestUpdate();
  }

  async update(change: PreferencesUpdate): Promise<void> {
    const client = this.client;
    if (!client || !this.preferences) return;
    const generation = this.generation;
    const save = ++this.latestSave;
    this.preferences = applyChange(this.preferences, change);
    this.saveStatus = 'saving';
    this.host.requestUpdate();
    try {
      const answer = await client.preferences.update(change);
      if (generation !== this.generation) return;
      this.confirmed = answer;
      if (save !== this.latestSave) return;
      this.preferences = answer;
      this.saveStatus = 'saved';
    } catch {
      if (generation !== this.generation || save !== this.latestSave) return;
      this.preferences = this.confirmed;
      this.saveStatus = 'failed';
    }
    this.host.requestUpdate();
  }
}
