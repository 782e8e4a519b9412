export * from './errors.ts';
export * from './http-guard.ts';
export * from './logger.ts';
export * from './metrics.ts';
export * from './ops.ts';
export * from './redis.ts';
export * from './run-service.ts';
