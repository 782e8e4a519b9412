import { eq, sql as dsql } from 'drizzle-orm';
import { schema, type Database } from '@tidings/db';
import type { Preferences, PreferencesUpdate } from '@tidings/protocol';

export const defaultPreferences: Preferences = Object.freeze({ in_app_enabled: true, email_enabled: true, digest: 'off', types: {} });

/** How a notification type behaves when a user has said nothing about it. */
export interface TypeSettings {
  key: string;
  default_in_app: boolean;
  default_email: boolean;
  critical: boolean;
}

export interface EmailStatus {
  hasEmail: boolean;
  unsubscribed: boolean;
}

export interface ChannelDecision {
  inApp: boolean;
  email: boolean;
}

/**
 * The one preference rule. A global switch always wins; below it a per-type override wins over the
 * type's default, except for critical notifications, which ignore per-type opt-outs (but never a
 * global email unsubscribe).
 */
export function resolveChannels(
  preferences: Pick<Preferences, 'in_app_enabled' | 'email_enabled' | 'types'> | undefined,
  type: TypeSettings,
  critical: boolean,
  email: EmailStatus,
): ChannelDecision {
  const prefs = preferences ?? defaultPreferences;
  const override = prefs.types[type.key];
  const inApp = prefs.in_app_enabled && (critical || (override?.in_app ?? type.default_in_app));
  const emailAllowed = email.hasEmail && !email.unsubscribed && prefs.email_enabled && (critical || (override?.email ?? type.default_email));
  return { inApp, email: emailAllowed };
}

/**
 * The preferences a raw query read through a left join (`in_app_enabled`, `email_enabled`, and
 * `types` as jsonb text); undefined when the user has none stored (the defaults apply).
 */
export function storedPreferences(row: {
  in_app_enabled: boolean | null;
  email_enabled: boolean | null;
  types: string | null;
}): Pick<Preferences, 'in_app_enabled' | 'email_enabled' | 'types'> | undefined {
  if (row.in_app_enabled === null) return undefined;
  return {
    in_app_enabled: row.in_app_enabled,
    email_enabled: row.email_enabled ?? true,
    types: row.types === null ? {} : (JSON.parse(row.types) as Preferences['types']),
  };
}

export async function getPreferences(database: Database, userId: string): Promise<Preferences> {
  const [row] = await database.db.select().from(schema.notificationPreferences).where(eq(schema.notificationPreferences.userId, userId));
  if (!row) return { ...defaultPreferences, types: {} };
  return { in_app_enabled: row.inAppEnabled, email_enabled: row.emailEnabled, digest: row.digest, types: row.types };
}

/**
 * Applies any part of the document and answers the whole of it. `types` merges per type; a type set
 * to null drops its override. Creates the recipient when the user has none yet.
 */
export async function updatePreferences(database: Database, userId: string, update: PreferencesUpdate): Promise<Preferences> {
  return database.db.transaction(async (tx) => {
    await tx.insert(schema.recipients).values({ id: userId }).onConflictDoNothing();
    const [current] = await tx.select().from(schema.notificationPreferences).where(eq(schema.notificationPreferences.userId, userId)).for('update');
    const types: Record<string, { in_app?: boolean; email?: boolean }> = { ...(current?.types ?? {}) };
    for (const [key, value] of Object.entries(update.types ?? {})) {
      if (value === null) delete types[key];
      else types[key] = { ...types[key], ...value };
    }
    const next = {
      inAppEnabled: update.in_app_enabled ?? current?.inAppEnabled ?? defaultPreferences.in_app_enabled,
      emailEnabled: update.email_enabled ?? current?.emailEnabled ?? defaultPreferences.email_enabled,
      digest: update.digest ?? current?.digest ?? defaultPreferences.digest,
      types,
      updatedAt: dsql`now()`,
    };
    await tx
      .insert(schema.notificationPreferences)
      .values({ userId, ...next })
      .onConflictDoUpdate({ target: schema.notificationPreferences.userId, set: next });
    if (update.email_enabled === true) {
      // Turning email back on is the user's own word: it lifts an unsubscribe made from an email link.
      await tx.update(schema.recipients).set({ emailUnsubscribedAt: null }).where(eq(schema.recipients.id, userId));
    }
    return { in_app_enabled: next.inAppEnabled, email_enabled: next.emailEnabled, digest: next.digest, types };
  });
}
