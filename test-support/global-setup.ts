import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { dropDatabase, ensureDatabase, maintenanceUrl, migrateDatabase } from '@tidings/db';
import { buildServices } from './build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated database that each test file copies as its own (CREATE DATABASE … TEMPLATE). */
    templateDatabaseUrl: string;
    /** Unique to this run: test databases and Redis prefixes start with it. */
    runId: string;
  }
}

const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tidings';
/** Test databases left behind by a run that was killed are dropped by a later run after this long. */
const STALE_AFTER_S = 3_600;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function dropStale(): Promise<void> {
  const admin = postgres(maintenanceUrl(baseUrl), { max: 1, onnotice: () => {} });
  try {
    const rows = await admin<{ datname: string }[]>`select datname from pg_database where datname like 'tidings_t%'`;
    const now = Math.floor(Date.now() / 1000);
    for (const { datname } of rows) {
      const started = Number(/^tidings_t(\d+)_/.exec(datname)?.[1]);
      if (Number.isFinite(started) && now - started > STALE_AFTER_S) {
        await admin.unsafe(`drop database if exists "${datname}" with (force)`);
      }
    }
  } finally {
    await admin.end();
  }
}

/** One migrated template database per run; every test file gets a fresh copy of it. */
export default async function setup(project: TestProject) {
  buildServices();
  const runId = `tidings_t${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
  const templateUrl = withDatabase(baseUrl, `${runId}_template`);
  await dropStale();
  await ensureDatabase(templateUrl);
  await migrateDatabase(templateUrl);
  project.provide('templateDatabaseUrl', templateUrl);
  project.provide('runId', runId);

  return async () => {
    const admin = postgres(maintenanceUrl(baseUrl), { max: 1, onnotice: () => {} });
    try {
      const rows = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`${runId}%`}`;
      for (const { datname } of rows) await dropDatabase(withDatabase(baseUrl, datname));
    } finally {
      await admin.end();
    }
  };
}
