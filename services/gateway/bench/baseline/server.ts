/**
 * The comparison baseline (bench only, never shipped): one socket.io 4.8 instance with
 * @socket.io/redis-adapter, doing the gateway's job the idiomatic socket.io way. It verifies the
 * same HS256 JWT as Tidings (jsonwebtoken, `auth.token` or `?token=`), joins each socket to
 * `user:<sub>` and to `all`, and says `connection_established`. Notifications reach it through the
 * adapter, published by `relay.ts` with @socket.io/redis-emitter.
 *
 * env: PORT, REDIS_URL, SIO_KEY (adapter key), JWT_SECRET, INSTANCE_ID.
 */
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 0);
const secret = process.env.JWT_SECRET ?? '';
const instance = process.env.INSTANCE_ID ?? `sio-${port}`;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const startedAt = Date.now();

const pubClient = new Redis(redisUrl);
const subClient = pubClient.duplicate();

const http = createServer((req, res) => {
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/healthz') return json(pubClient.status === 'ready' && subClient.status === 'ready' ? 200 : 503, { status: pubClient.status });
  if (req.url === '/stats') {
    const memory = process.memoryUsage();
    return json(200, {
      gateway_id: instance,
      connections: io.engine.clientsCount,
      users: [...io.of('/').adapter.rooms.keys()].filter((room) => room.startsWith('user:')).length,
      uptime_s: Math.round((Date.now() - startedAt) / 1000),
      rss_bytes: memory.rss,
      heap_used_bytes: memory.heapUsed,
    });
  }
  json(404, { error: { code: 'not_found', message: 'no such route' } });
});

const io = new Server(http, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  adapter: createAdapter(pubClient, subClient, { key: process.env.SIO_KEY ?? 'socket.io' }),
});

interface SocketData {
  sub: string;
}

io.use((socket, next) => {
  const token = (socket.handshake.auth as { token?: string }).token ?? (socket.handshake.query.token as string | undefined);
  try {
    const claims = jwt.verify(token ?? '', secret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    if (typeof claims.sub !== 'string' || claims.sub === '') throw new Error('no sub');
    (socket.data as SocketData).sub = claims.sub;
    next();
  } catch {
    next(new Error('unauthorized'));
  }
});

io.on('connection', (socket) => {
  const sub = (socket.data as SocketData).sub;
  // Synchronous with this adapter (rooms are local; one pattern subscription covers them all).
  void socket.join([`user:${sub}`, 'all']);
  socket.emit('connection_established', { user_id: sub });
});

http.listen(port, '127.0.0.1', () => console.log(`baseline ${instance} listening on ${port}`));

const stop = () => {
  // Nothing to do if closing fails: the process exits either way.
  void io.close();
  pubClient.disconnect();
  subClient.disconnect();
  setTimeout(() => process.exit(0), 200).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
