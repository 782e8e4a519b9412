import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; every line names the service. Secrets in headers never reach a log. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'token'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
