import type { TidingsClient } from '@tidings/client';
import type { ReactiveControllerHost } from 'lit';
import type { UserNotificationType } from '../types.ts';

/**
 * The notification types the user may filter by and set preferences for
 * (`GET /v1/notification-types`), fetched once per client.
 */
export class TypeCatalog {
  types: UserNotificationType[] = [];
  private loading: Promise<void> | undefined;
  private client: TidingsClient | undefined;

  constructor(private readonly host: ReactiveControllerHost) {}

  attach(client: TidingsClient): void {
    this.client = client;
    this.types = [];
    this.loading = undefined;
    this.ensureLoaded();
  }

  detach(): void {
    this.client = undefined;
    this.types = [];
    this.loading = undefined;
  }

  /** Fetches the types unless they are loaded or loading; a failure is retried on the next call. */
  ensureLoaded(): void {
    const client = this.client;
    if (!client || this.loading) return;
    const loading = client.inbox.types().then(
      (types) => {
        if (this.client !== client) return;
        this.types = [...types].sort((a, b) => label(a).localeCompare(label(b)));
        this.host.requestUpdate();
      },
      () => {
        if (this.loading === loading) this.loading = undefined;
      },
    );
    this.loading = loading;
  }

  find(key: string): UserNotificationType | undefined {
    return this.types.find((type) => type.key === key);
  }
}

/** How a type is named to the user: its description, else its key. */
export function label(type: UserNotificationType): string {
  return type.description?.trim() || type.key;
}
