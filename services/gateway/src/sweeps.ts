import type { PresenceWriter } from '@tidings/cluster';
import { closeCodes, serverFrames } from '@tidings/protocol';
import type { Logger } from '@tidings/server-kit';
import type { ExpiryWheel } from './expiry.ts';
import type { Hub } from './hub.ts';
import { WsSink } from './sinks.ts';
import { inSlices } from './slices.ts';

/** How often the expiry sweep looks for tokens that have run out. */
const EXPIRY_SWEEP_MS = 1_000;

export interface SweepsDeps {
  hub: Hub;
  expiry: ExpiryWheel;
  presence: PresenceWriter;
  heartbeatMs: number;
  /** How long this gateway's presence lease lasts without a renewal. */
  leaseMs: number;
  logger: Logger;
}

/** The gateway's two timers; `stop` clears both (a sweep already running finishes). */
export interface Sweeps {
  stop(): void;
}

/**
 * One timer for every connection's heartbeat and one for every connection's token expiry,
 * instead of timers per connection: a gateway holds tens of thousands of them.
 */
export function startSweeps(deps: SweepsDeps): Sweeps {
  const heartbeat = startHeartbeatSweep(deps);
  const expiry = setInterval(() => closeExpired(deps), EXPIRY_SWEEP_MS).unref();
  return {
    stop() {
      clearInterval(heartbeat);
      clearInterval(expiry);
    },
  };
}

/**
 * Every `heartbeatMs`, in slices: a WebSocket that did not answer the previous ping is terminated,
 * the others are pinged (a protocol ping: clients see nothing, browsers answer by themselves); SSE
 * streams, which cannot be pinged, get a `heartbeat` frame. The presence lease is renewed and the
 * entries of gateways whose lease ran out are reaped on the same beat.
 */
function startHeartbeatSweep(deps: SweepsDeps): NodeJS.Timeout {
  const { hub, presence, logger } = deps;
  let sweeping = false;
  return setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void inSlices([...hub.all()], (connection) => {
      if (connection.closed) return;
      if (connection.sink instanceof WsSink) {
        if (!connection.alive) {
          connection.sink.terminate();
          return;
        }
        connection.alive = false;
        connection.sink.socket.ping();
      } else {
        connection.send(serverFrames.heartbeat);
      }
    }).finally(() => {
      sweeping = false;
    });
    presence.renewLease(deps.leaseMs).catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'presence lease renewal failed'));
    presence.reapDead().catch(() => 0);
  }, deps.heartbeatMs).unref();
}

/** Closes with 4001 every connection whose token has expired (a client refreshes with `auth` before that). */
function closeExpired(deps: SweepsDeps): void {
  for (const connection of deps.expiry.takeExpired(Date.now() / 1000)) {
    deps.logger.info({ user: connection.userId, connection: connection.id }, 'token expired; connection closed');
    connection.sink.close(closeCodes.tokenExpired, 'token expired');
  }
}
