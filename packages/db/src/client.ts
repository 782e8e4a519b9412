import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import * as schema from './schema.ts';

export type Sql = postgres.Sql;
/** A client or an open transaction: what a statement that may run in either takes. */
export type Queryable = postgres.Sql | postgres.TransactionSql;
export type Db = PostgresJsDatabase<typeof schema>;

export interface Database {
  /** Raw postgres.js client, for statements the query builder cannot say well. */
  sql: Sql;
  db: Db;
  /** Idempotent: the first call's promise is returned to every caller. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  max?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
}

export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'tidings' },
  });
  const db = drizzle(sql, { schema });
  let closing: Promise<void> | undefined;
  return {
    sql,
    db,
    close: () => (closing ??= sql.end({ timeout: 5 })),
  };
}
