// Many idle WebSocket connections, ramped up, held, then closed.
// Goal (DESIGN "Performance targets"): ≤ 8 KB RSS per idle connection on the gateway, every
// connection greeted with `connection_established`.
//
//   k6 run -e API_URL=… -e GATEWAY_URLS=… -e TOKENS_FILE=./tokens.json -e CONNECTIONS=10000 k6/ws-connections.js
import ws from 'k6/ws';
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import { GATEWAY_URLS, num, users, wsUrl } from './lib.js';

const CONNECTIONS = num('CONNECTIONS', 10000);
const RAMP = __ENV.RAMP || '2m';
const HOLD_S = num('HOLD_S', 120);

const established = new Counter('connection_established');
const timeToEstablished = new Trend('connection_established_ms', true);
const rssPerConnection = new Trend('gateway_rss_per_connection_bytes');
const heapPerConnection = new Trend('gateway_heap_per_connection_bytes');

export const options = {
  scenarios: {
    idle: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: RAMP, target: CONNECTIONS },
        { duration: `${HOLD_S + 30}s`, target: CONNECTIONS },
      ],
      gracefulRampDown: '30s',
      gracefulStop: '30s',
    },
    // Reads every gateway's /stats once the plateau is reached (after setup() read them idle).
    stats: {
      executor: 'per-vu-iterations',
      vus: 1,
      iterations: 1,
      startTime: __ENV.STATS_AT || `${parseDuration(RAMP) + Math.floor(HOLD_S / 2)}s`,
      exec: 'stats',
    },
  },
  thresholds: {
    checks: ['rate>0.99'],
    connection_established: [`count>=${CONNECTIONS}`],
    connection_established_ms: ['p(99)<1000'],
    gateway_rss_per_connection_bytes: ['max<=8192'],
  },
};

function parseDuration(text) {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!match) return 120;
  return Number(match[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2]];
}

export function setup() {
  // The gateways' memory before any k6 connection; without a forced GC, figures are approximate.
  return { idle: GATEWAY_URLS.map((url) => http.get(`${url}/stats`).json()) };
}

export default function () {
  const user = users[(__VU - 1) % users.length];
  const started = Date.now();
  let greeted = false;
  const res = ws.connect(wsUrl(__VU, user.token), null, (socket) => {
    socket.on('message', (text) => {
      if (!greeted && text.indexOf('"connection_established"') !== -1) {
        greeted = true;
        established.add(1);
        timeToEstablished.add(Date.now() - started);
      }
    });
    socket.on('error', () => {});
    // Hold the idle connection until the end of the plateau; the server's pings are answered by k6.
    socket.setTimeout(() => socket.close(), HOLD_S * 1000);
  });
  check(res, { 'upgraded (101)': (r) => r && r.status === 101 });
  check(greeted, { 'connection_established received': (g) => g === true });
  // A VU that comes round again (ramping) waits instead of reconnecting at once.
  sleep(HOLD_S);
}

export function stats(data) {
  GATEWAY_URLS.forEach((url, i) => {
    const now = http.get(`${url}/stats`).json();
    const idle = data.idle[i];
    if (!now || !idle || !now.connections) return;
    rssPerConnection.add((now.rss_bytes - idle.rss_bytes) / now.connections, { gateway: url });
    heapPerConnection.add((now.heap_used_bytes - idle.heap_used_bytes) / now.connections, { gateway: url });
    console.log(
      `${url}: ${now.connections} connections, RSS ${(now.rss_bytes / 1048576).toFixed(1)} MB, heap ${(now.heap_used_bytes / 1048576).toFixed(1)} MB`,
    );
  });
}
