import type { Server } from 'node:http';
import type { WebSocketServer } from 'ws';
import type { Broker, PresenceWriter } from '@tidings/cluster';
import { closeCodes } from '@tidings/protocol';
import type { Logger } from '@tidings/server-kit';
import type { Hub } from './hub.ts';
import type { Sweeps } from './sweeps.ts';

/** How long clients get to close after 1012 before their sockets are dropped. */
const STRAGGLER_GRACE_MS = 5_000;

export interface DrainParts {
  server: Server;
  wss: WebSocketServer;
  hub: Hub;
  sweeps: Sweeps;
  presence: PresenceWriter;
  broker: Broker;
  logger: Logger;
}

/**
 * Graceful drain: stop accepting, close every connection with 1012 (reconnect elsewhere), give
 * stragglers a grace period, leave presence, close the broker. Idempotent: every call answers the
 * same promise. `draining` turns true at the first call, before any connection is closed, so
 * closes during the drain skip their own presence removal and new handshakes are refused.
 */
export class Drain {
  private running: Promise<void> | undefined;
  private started = false;

  get draining(): boolean {
    return this.started;
  }

  run(parts: DrainParts): Promise<void> {
    if (!this.running) {
      this.started = true;
      this.running = drainGateway(parts);
    }
    return this.running;
  }
}

async function drainGateway({ server, wss, hub, sweeps, presence, broker, logger }: DrainParts): Promise<void> {
  sweeps.stop();
  const connections = [...hub.all()];
  logger.info({ connections: connections.length }, 'gateway draining');
  for (const connection of connections) connection.sink.close(closeCodes.gatewayDraining, 'gateway draining; reconnect');
  const stragglers = setTimeout(() => {
    for (const connection of hub.all()) connection.sink.terminate();
    server.closeAllConnections();
  }, STRAGGLER_GRACE_MS).unref();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clearTimeout(stragglers);
  await presence.unregister().catch(() => {});
  await broker.close();
  wss.close();
}
