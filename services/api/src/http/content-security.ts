/** Hosts of the gateways as `connect-src` sources: http(s) for SSE, ws(s) for WebSocket. */
export function gatewaySources(gatewayUrls: readonly string[]): string[] {
  const sources = new Set<string>();
  for (const url of gatewayUrls) {
    const { host, protocol } = new URL(url);
    const secure = protocol === 'https:' || protocol === 'wss:';
    sources.add(`${secure ? 'https' : 'http'}://${host}`);
    sources.add(`${secure ? 'wss' : 'ws'}://${host}`);
  }
  return [...sources];
}
