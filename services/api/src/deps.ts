import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { ConnectTickets, PresenceReader } from '@tidings/cluster';
import type { Config } from '@tidings/config';
import type { Database } from '@tidings/db';
import type { AdminNotifications, AdminQueries, AdminStats, CreateDeps, Directory, EventPublisher, Inbox } from '@tidings/domain';
import type { EmailComposer } from '@tidings/email';
import type { Logger } from '@tidings/server-kit';
import type { Verify } from './http/auth.ts';

/** Everything the API's routes use, built once in `main.ts` (or by a test) and passed in. */
export interface ApiDeps {
  config: Config;
  logger: Logger;
  database: Database;
  /** Fails fast while disconnected: request paths answer 503 rather than queue. */
  redis: Redis;
  verify: Verify;
  publisher: EventPublisher;
  inbox: Inbox;
  directory: Directory;
  admin: AdminQueries;
  adminNotifications: AdminNotifications;
  /** Renders emails exactly as the worker sends them (previews, email logs). */
  emails: EmailComposer;
  stats: AdminStats;
  presence: PresenceReader;
  tickets: ConnectTickets;
  create: CreateDeps;
  registry: Registry;
}
