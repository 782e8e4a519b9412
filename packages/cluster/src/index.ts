export * from './broker.ts';
export * from './memory-broker.ts';
export * from './redis-broker.ts';
export * from './presence.ts';
export * from './memory-presence.ts';
export * from './offline-queue.ts';
export * from './connect-tickets.ts';
