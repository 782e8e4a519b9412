import type { Sql } from '@tidings/db';
import type { CreateNotificationInput, CreateNotificationResult } from '@tidings/protocol';
import type { Logger } from '@tidings/server-kit';
import type { EmailOutbox } from '../email/outbox.ts';
import type { EventPublisher } from './event-publisher.ts';

/** What creating notifications takes and answers, for the create itself and the steps it calls. */

export interface CreateRequest {
  createdBy: string;
  input: CreateNotificationInput;
  idempotencyKey?: string;
}

export interface CreateOutcome {
  result: CreateNotificationResult;
  /** True when an earlier request with the same Idempotency-Key answered this. */
  replayed: boolean;
}

export interface CreateDeps {
  sql: Sql;
  publisher: EventPublisher;
  /** Takes the queued emails of a send once it commits. */
  emailOutbox: EmailOutbox;
  /** Where a failure after commit is logged: the data is committed, and a relay catches up. */
  logger: Logger;
  /** More recipients than this go out as one broadcast event instead of one event per user. */
  broadcastThreshold: number;
  onCreated?: (type: string, count: number) => void;
  /**
   * Told after a scheduled send commits, to arrange its release at `sendAt`. A failure is logged by
   * the caller: the worker's periodic sweep releases overdue sends anyway.
   */
  onScheduled?: (broadcastId: string, sendAt: Date) => Promise<void>;
}
