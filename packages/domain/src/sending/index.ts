export { NOTIFICATION_IDS_LIMIT } from './answer.ts';
export * from './create-contract.ts';
export * from './create-notifications.ts';
export * from './event-publisher.ts';
export * from './outbox-relay.ts';
export * from './publish-created.ts';
export { applyPreferences, recipientsOf, typeSettings, type Resolved } from './recipients.ts';
