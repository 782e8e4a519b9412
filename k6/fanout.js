// Connected users + a steady stream of single-recipient notifications through the API.
// Goal: POST → frame p99 ≤ 50 ms at 1,000 notifications/s over 10,000 connections, nothing lost.
// The send time travels in `data.t`; k6 runs producer and listeners in one process, one clock.
//
//   k6 run -e API_URL=… -e GATEWAY_URLS=… -e TOKENS_FILE=./tokens.json -e USERS=10000 -e RATE=1000 k6/fanout.js
import ws from 'k6/ws';
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import { API_URL, jsonHeaders, num, padded, serviceToken, users, wsUrl } from './lib.js';

const USERS = Math.min(num('USERS', 10000), users.length);
const RATE = num('RATE', 1000);
const RAMP_S = num('RAMP_S', 60);
const DURATION_S = num('DURATION_S', 60);

const latency = new Trend('delivery_latency', true);
const received = new Counter('notifications_received');
const sent = new Counter('notifications_sent');

export const options = {
  scenarios: {
    listeners: {
      executor: 'per-vu-iterations',
      vus: USERS,
      iterations: 1,
      maxDuration: `${RAMP_S + DURATION_S + 60}s`,
      exec: 'listen',
    },
    producers: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: `${DURATION_S}s`,
      startTime: `${RAMP_S}s`,
      preAllocatedVUs: Math.max(50, Math.ceil(RATE / 10)),
      maxVUs: Math.max(200, RATE),
      exec: 'produce',
    },
  },
  thresholds: {
    delivery_latency: ['p(99)<50'],
    'http_req_duration{scenario:producers}': ['p(99)<50'],
    'http_req_failed{scenario:producers}': ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

export function listen() {
  const user = users[__VU - 1];
  // Spread the handshakes over most of the ramp, then hold until the producers are done.
  const delay = ((__VU - 1) / USERS) * RAMP_S * 0.8;
  sleep(delay);
  const holdMs = (RAMP_S - delay + DURATION_S + 10) * 1000;
  const res = ws.connect(wsUrl(__VU, user.token), null, (socket) => {
    socket.on('message', (text) => {
      if (!text.startsWith('{"type":"notification"')) return;
      const frame = JSON.parse(text);
      const data = frame.notification && frame.notification.data;
      if (data && typeof data.t === 'number') {
        latency.add(Date.now() - data.t);
        received.add(1);
      }
    });
    socket.on('error', () => {});
    socket.setTimeout(() => socket.close(), holdMs);
  });
  check(res, { 'upgraded (101)': (r) => r && r.status === 101 });
}

export function produce() {
  const user = users[Math.floor(Math.random() * USERS)];
  const body = padded(
    {
      to: { user_ids: [user.id] },
      type: 'k6-fanout',
      title: 'Export ready',
      body: 'Your export "Quarterly report" is ready to download. It stays available for 7 days.',
      data: { t: Date.now(), pad: '' },
    },
    300,
  );
  const res = http.post(`${API_URL}/v1/notifications`, JSON.stringify(body), jsonHeaders(serviceToken()));
  sent.add(1);
  check(res, { 'created (201)': (r) => r.status === 201 });
}
