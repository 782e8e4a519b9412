import { ConfigError, loadConfig, type Config } from '@tidings/config';
import { createLogger, type Logger } from './logger.ts';

export interface RunningService {
  url: string;
  /** Other addresses the service listens on, logged beside `url` (the dev mailbox's `smtp`). */
  addresses?: Readonly<Record<string, string>>;
  /** Graceful and idempotent. */
  close(): Promise<void>;
}

export interface ServiceDefinition {
  name: string;
  /** Runs before `start`, e.g. creating and migrating the database. */
  prepare?: (config: Config) => Promise<void>;
  start: (config: Config, logger: Logger) => Promise<RunningService>;
}

/**
 * The process around a service: configuration validated once (one line per bad value, exit 1),
 * a logger, `prepare`, `start`, and a graceful stop on SIGTERM or SIGINT.
 */
export async function runService(service: ServiceDefinition): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(service.name, config.LOG_LEVEL);
  exitOnFatal(logger, service.name);
  await service.prepare?.(config);
  const running = await service.start(config, logger);
  logger.info({ ...running.addresses, url: running.url }, `${service.name} listening`);
  const stop = (signal: string) => {
    logger.info({ signal }, `${service.name} shutting down`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, `${service.name} shutdown failed`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/**
 * A fault no code path expected (a throw outside any request, a rejected promise nobody awaited)
 * leaves the process in an unknown state: it is logged once as fatal, with the service's name,
 * and the process exits 1 so its supervisor (`npm start`, Kubernetes) starts a clean one.
 */
export function exitOnFatal(logger: Logger, name: string): void {
  process.once('uncaughtException', (error) => {
    logger.fatal({ err: error }, `${name} crashed: uncaught exception`);
    process.exit(1);
  });
  process.once('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, `${name} crashed: unhandled promise rejection`);
    process.exit(1);
  });
}
