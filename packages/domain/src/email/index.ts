export * from './digests.ts';
export * from './email.ts';
export * from './outbox.ts';
