// N connected users, then ONE broadcast; measures the time until the last user has it.
// Goal: ≤ 500 ms from POST to the last frame, for 10,000 online users.
//
// setup() gives the N users of the tokens file the role BROADCAST_ROLE (default k6-broadcast)
// and the broadcast targets that role, so real users of a shared deployment are never notified.
// Set -e BROADCAST_ALL=1 to send `to: { all: true }` instead (a dedicated bench database only).
//
//   k6 run -e API_URL=… -e GATEWAY_URLS=… -e TOKENS_FILE=./tokens.json -e USERS=10000 k6/broadcast.js
import ws from 'k6/ws';
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import { API_URL, jsonHeaders, num, serviceToken, users, wsUrl } from './lib.js';

const USERS = Math.min(num('USERS', 10000), users.length);
const RAMP_S = num('RAMP_S', 60);
const ROLE = __ENV.BROADCAST_ROLE || 'k6-broadcast';
const SEND_AT_S = RAMP_S + 10;

const toLast = new Trend('broadcast_delivery', true);
const received = new Counter('broadcast_received');
const answer = new Trend('broadcast_post_duration', true);

export const options = {
  setupTimeout: '10m',
  scenarios: {
    listeners: {
      executor: 'per-vu-iterations',
      vus: USERS,
      iterations: 1,
      maxDuration: `${SEND_AT_S + 60}s`,
      exec: 'listen',
    },
    sender: {
      executor: 'per-vu-iterations',
      vus: 1,
      iterations: 1,
      startTime: `${SEND_AT_S}s`,
      exec: 'send',
    },
  },
  thresholds: {
    // The max of the per-user delivery times is the time for the broadcast to reach everybody.
    broadcast_delivery: ['max<500', 'p(99)<500'],
    broadcast_received: [`count>=${USERS}`],
    checks: ['rate>0.99'],
  },
};

export function setup() {
  if (__ENV.BROADCAST_ALL === '1') return {};
  const batch = [];
  for (let i = 0; i < USERS; i++) {
    batch.push(['PUT', `${API_URL}/v1/recipients/${encodeURIComponent(users[i].id)}`, JSON.stringify({ roles: [ROLE] }), jsonHeaders(serviceToken())]);
    if (batch.length === 100 || i === USERS - 1) {
      const responses = http.batch(batch.splice(0));
      check(responses, { 'recipients upserted': (list) => list.every((r) => r.status === 200) });
    }
  }
  return {};
}

export function listen() {
  const user = users[__VU - 1];
  const delay = ((__VU - 1) / USERS) * RAMP_S * 0.8;
  sleep(delay);
  const res = ws.connect(wsUrl(__VU, user.token), null, (socket) => {
    socket.on('message', (text) => {
      if (!text.startsWith('{"type":"notification"')) return;
      const data = JSON.parse(text).notification.data;
      if (data && data.k6_broadcast === true) {
        toLast.add(Date.now() - data.t);
        received.add(1);
        socket.close();
      }
    });
    socket.on('error', () => {});
    socket.setTimeout(() => socket.close(), (SEND_AT_S - delay + 30) * 1000);
  });
  check(res, { 'upgraded (101)': (r) => r && r.status === 101 });
}

export function send() {
  const to = __ENV.BROADCAST_ALL === '1' ? { all: true } : { roles: [ROLE] };
  const body = {
    to,
    type: 'k6-broadcast',
    title: 'Scheduled maintenance tonight',
    body: 'The service will be read-only from 22:00 to 22:15 UTC while we upgrade the database.',
    data: { k6_broadcast: true, t: Date.now() },
  };
  const res = http.post(`${API_URL}/v1/notifications`, JSON.stringify(body), jsonHeaders(serviceToken()));
  answer.add(res.timings.duration);
  check(res, { 'broadcast created (201)': (r) => r.status === 201 && r.json('recipient_count') >= USERS });
}
