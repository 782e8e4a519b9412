import { loadConfig } from '@tidings/config';
import { ensureDatabase, migrateDatabase } from './migrate.ts';

/** `pnpm migrate`: creates the configured database if needed and applies every migration. */
const config = loadConfig();
const created = await ensureDatabase(config.DATABASE_URL);
await migrateDatabase(config.DATABASE_URL);
const where = new URL(config.DATABASE_URL);
console.log(`database ${where.pathname.slice(1)} on ${where.host}: ${created ? 'created and ' : ''}migrated`);
