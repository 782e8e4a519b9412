import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Query parameters that carry a credential: a JWT (`token`, also the unsubscribe link's), a connect ticket. */
const SECRET_PARAMS = /([?&](?:token|ticket)=)[^&#]*/gi;

/** A URL as it may be logged: every `token=` and `ticket=` value replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

/**
 * Structured JSON logs; every line names the service. Credentials never reach a log: the
 * Authorization and Cookie headers, the subprotocol that carries a token, and `token`/`ticket`
 * wherever they appear (a field, a query parameter; URLs go through `redactUrl`).
 */
export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["sec-websocket-protocol"]',
        'req.query.token',
        'req.query.ticket',
        'token',
        'ticket',
      ],
      censor: '[redacted]',
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
