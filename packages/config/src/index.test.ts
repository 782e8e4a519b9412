import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_JWT_SECRET, DEV_UNSUBSCRIBE_SECRET, loadConfig } from './index.ts';

describe('loadConfig', () => {
  it('applies the documented defaults and freezes the result', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tidings',
      REDIS_URL: 'redis://127.0.0.1:6379',
      API_PORT: 3000,
      GATEWAY_PORT: 3001,
      WORKER_PORT: 3003,
      OFFLINE_QUEUE_SIZE: 100,
      HEARTBEAT_MS: 30_000,
      JWT_SECRET: DEV_JWT_SECRET,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reports one line per bad value, naming the variable', () => {
    let error: unknown;
    try {
      loadConfig({ API_PORT: 'eighty', DATABASE_URL: 'mysql://x', HEARTBEAT_MS: '10', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    for (const name of ['API_PORT', 'DATABASE_URL', 'HEARTBEAT_MS', 'LOG_LEVEL']) {
      expect(
        problems.some((line) => line.startsWith(`${name}:`)),
        name,
      ).toBe(true);
    }
  });

  it('refuses to start in production with the development secret or none', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: production needs its own/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET })).toThrow(ConfigError);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40), UNSUBSCRIBE_SECRET: 'u'.repeat(32) }).JWT_SECRET).toBe('s'.repeat(40));
  });

  it('refuses a short secret and a secret together with a public key', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => loadConfig({ JWT_SECRET: 's'.repeat(40), JWT_PUBLIC_KEY: 'pem' })).toThrow(/not both/);
  });

  it('refuses production without an unsubscribe secret, and bad branding and time zones', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40) };
    expect(() => loadConfig(production)).toThrow(/UNSUBSCRIBE_SECRET: production needs its own/);
    expect(loadConfig({ ...production, UNSUBSCRIBE_SECRET: 'u'.repeat(32) }).UNSUBSCRIBE_SECRET).toBe('u'.repeat(32));
    expect(loadConfig({}).UNSUBSCRIBE_SECRET).toBe(DEV_UNSUBSCRIBE_SECRET);
    expect(() => loadConfig({ UNSUBSCRIBE_SECRET: 'short' })).toThrow(/UNSUBSCRIBE_SECRET: must be at least 32/);
    expect(() => loadConfig({ BRAND_COLOR: 'red' })).toThrow(/BRAND_COLOR: must be #rgb/);
    expect(() => loadConfig({ BRAND_LOGO_URL: 'javascript:alert(1)' })).toThrow(/BRAND_LOGO_URL/);
    expect(() => loadConfig({ DIGEST_TZ: 'Mars/Olympus' })).toThrow(/DIGEST_TZ: unknown time zone/);
    expect(() => loadConfig({ DIGEST_DAILY_CRON: 'every tuesday' })).toThrow(/DIGEST_DAILY_CRON: not a cron pattern/);
    expect(loadConfig({ DIGEST_WEEKLY_CRON: '30 7 * * 5' }).DIGEST_WEEKLY_CRON).toBe('30 7 * * 5');
    expect(loadConfig({ DIGEST_TZ: 'Europe/Paris' }).DIGEST_TZ).toBe('Europe/Paris');
    expect(loadConfig({}).EMAIL_FROM).toBe('"Tidings" <notifications@localhost>');
    expect(loadConfig({ PRODUCT_NAME: 'Acme "Cloud"' }).EMAIL_FROM).toBe('"Acme Cloud" <notifications@localhost>');
    expect(loadConfig({ PRODUCT_NAME: 'Acme', EMAIL_FROM: 'Billing <billing@acme.test>' }).EMAIL_FROM).toBe('Billing <billing@acme.test>');
  });

  it('reads TRUST_PROXY as express does: off, on, a hop count or addresses', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toBe('loopback, 10.0.0.0/8');
  });

  it('splits the public gateway URLs and refuses one that is not a URL', () => {
    expect(loadConfig({}).GATEWAY_PUBLIC_URLS).toEqual(['http://localhost:3001', 'http://localhost:3002']);
    expect(loadConfig({ GATEWAY_PUBLIC_URLS: 'https://rt.example , wss://rt2.example' }).GATEWAY_PUBLIC_URLS).toEqual([
      'https://rt.example',
      'wss://rt2.example',
    ]);
    expect(() => loadConfig({ GATEWAY_PUBLIC_URLS: 'rt.example' })).toThrow(/GATEWAY_PUBLIC_URLS/);
    expect(() => loadConfig({ GATEWAY_PUBLIC_URLS: ' , ' })).toThrow(/GATEWAY_PUBLIC_URLS: give at least one gateway URL/);
  });

  it('splits the CORS allowlist', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });
});
