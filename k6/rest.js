// The REST mix of an inbox: producers create, users list their inbox and poll the unread count.
// Thresholds: < 1% errors; list and unread-count p99 < 20 ms and create p99 < 50 ms (the API's
// goals in its own bench, services/api/bench); adjust with -e LIST_P99_MS=… etc.
//
//   k6 run -e API_URL=… -e TOKENS_FILE=./tokens.json -e CREATE_RATE=200 -e LIST_RATE=300 -e UNREAD_RATE=500 k6/rest.js
import http from 'k6/http';
import { check } from 'k6';
import { API_URL, jsonHeaders, num, padded, serviceToken, users } from './lib.js';

const DURATION = __ENV.DURATION || '2m';
const USERS = Math.min(num('USERS', users.length), users.length);

function arrival(rate, exec) {
  return {
    executor: 'constant-arrival-rate',
    rate,
    timeUnit: '1s',
    duration: DURATION,
    preAllocatedVUs: Math.max(20, Math.ceil(rate / 20)),
    maxVUs: Math.max(100, rate),
    exec,
  };
}

export const options = {
  scenarios: {
    create: arrival(num('CREATE_RATE', 200), 'create'),
    list: arrival(num('LIST_RATE', 300), 'list'),
    unread: arrival(num('UNREAD_RATE', 500), 'unread'),
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    'http_req_duration{scenario:create}': [`p(99)<${num('CREATE_P99_MS', 50)}`],
    'http_req_duration{scenario:list}': [`p(99)<${num('LIST_P99_MS', 20)}`],
    'http_req_duration{scenario:unread}': [`p(99)<${num('UNREAD_P99_MS', 20)}`],
  },
};

const randomUser = () => users[Math.floor(Math.random() * USERS)];

export function create() {
  const body = padded(
    {
      to: { user_ids: [randomUser().id] },
      type: 'k6-rest',
      title: 'New comment on "Quarterly planning"',
      body: 'Alex replied to your comment: looks good to me, let us ship it on Thursday after the review.',
      data: { t: Date.now(), pad: '' },
    },
    300,
  );
  const res = http.post(`${API_URL}/v1/notifications`, JSON.stringify(body), jsonHeaders(serviceToken()));
  check(res, { 'create: 201': (r) => r.status === 201 });
}

export function list() {
  const res = http.get(`${API_URL}/v1/notifications?limit=20`, jsonHeaders(randomUser().token));
  check(res, { 'list: 200 with items': (r) => r.status === 200 && Array.isArray(r.json('items')) });
}

export function unread() {
  const res = http.get(`${API_URL}/v1/notifications/unread-count`, jsonHeaders(randomUser().token));
  check(res, { 'unread-count: 200': (r) => r.status === 200 && typeof r.json('count') === 'number' });
}
