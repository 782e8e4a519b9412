// Whether Postgres or Redis answers on a port. Node built-ins only: these run before any install.
import net from 'node:net';

/**
 * Connects to host:port and speaks the first words of the protocol, so a port held by something
 * else (or a Docker port proxy whose container is not up yet) is not taken for the real server.
 * Resolves 'ok' (the server answered), 'closed' (nothing listens) or 'other' (something listens
 * but does not answer like that server).
 */
export function probe(kind, host, port, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let connected = false;
    const done = (state) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(state);
    };
    const timer = setTimeout(() => done(connected ? 'other' : 'closed'), timeoutMs);
    socket.once('connect', () => {
      connected = true;
      if (kind === 'postgres') {
        // SSLRequest: Int32 length 8, Int32 80877103. A Postgres server answers one byte, S or N.
        const request = Buffer.alloc(8);
        request.writeInt32BE(8, 0);
        request.writeInt32BE(80877103, 4);
        socket.write(request);
      } else if (kind === 'redis') {
        socket.write('PING\r\n');
      } else {
        done('ok');
      }
    });
    socket.once('data', (data) => {
      const first = String.fromCharCode(data[0]);
      if (kind === 'postgres') done(first === 'S' || first === 'N' || first === 'E' ? 'ok' : 'other');
      // +PONG, or an error such as -NOAUTH or -LOADING: Redis either way.
      else done(first === '+' || first === '-' ? 'ok' : 'other');
    });
    socket.once('error', () => done(connected ? 'other' : 'closed'));
    socket.once('close', () => done(connected ? 'other' : 'closed'));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Probes every half second until the server answers `ok`; resolves false when `timeoutMs` passed first. */
export async function waitFor(kind, host, port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await probe(kind, host, port)) === 'ok') return true;
    await sleep(500);
  }
  return false;
}
