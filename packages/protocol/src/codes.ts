/** WebSocket close codes. Retryable ones tell the client to reconnect (and resume). */
export const closeCodes = {
  badToken: 1008,
  frameTooLarge: 1009,
  gatewayDraining: 1012,
  slowConsumer: 1013,
  tokenExpired: 4001,
  forcedDisconnect: 4003,
  /** More than `MAX_CONNECTIONS_PER_USER` connections for this user: wait and retry, the token is fine. */
  tooManyConnections: 4008,
  tooManyMessages: 4029,
} as const;

/** Codes of the gateway's `error` frame. */
export const errorFrameCodes = ['invalid_json', 'unknown_message_type', 'invalid_message', 'rate_limited', 'internal_error'] as const;
