/* global open */
// Shared helpers for the Tidings k6 scenarios (k6 v0.48+). Everything comes from __ENV:
//   API_URL       the API, e.g. http://127.0.0.1:3000
//   GATEWAY_URLS  comma-separated gateways (or the load balancer), e.g. http://127.0.0.1:3001,http://127.0.0.1:3002
//   TOKENS_FILE   JSON written by k6/make-tokens.ts: { "service": "<jwt>", "users": [{ "id", "token" }, …] }
import { SharedArray } from 'k6/data';

export const API_URL = (__ENV.API_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');
export const GATEWAY_URLS = (__ENV.GATEWAY_URLS || 'http://127.0.0.1:3001,http://127.0.0.1:3002')
  .split(',')
  .map((url) => url.trim().replace(/\/$/, ''))
  .filter(Boolean);
const TOKENS_FILE = __ENV.TOKENS_FILE || './tokens.json';

/** One entry per user, shared (not copied) between VUs. */
export const users = new SharedArray('users', () => JSON.parse(open(TOKENS_FILE)).users);
const service = new SharedArray('service', () => [JSON.parse(open(TOKENS_FILE)).service]);

export function serviceToken() {
  return service[0];
}

/** An env number, or the fallback. */
export function num(name, fallback) {
  const value = __ENV[name];
  return value === undefined || value === '' ? fallback : Number(value);
}

/** The WebSocket URL of the gateway for VU number `vu` (round robin) with the user's token. */
export function wsUrl(vu, token, since) {
  const base = GATEWAY_URLS[vu % GATEWAY_URLS.length].replace(/^http/, 'ws');
  return `${base}/v1/ws?token=${encodeURIComponent(token)}${since === undefined ? '' : `&since=${since}`}`;
}

export function jsonHeaders(token) {
  return { headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } };
}

/** Pads `data` so a create request is about `bytes` long (the benchmarks use ~300 bytes). */
export function padded(body, bytes) {
  const length = JSON.stringify(body).length;
  body.data.pad = 'x'.repeat(Math.max(0, bytes - length - 10));
  return body;
}
