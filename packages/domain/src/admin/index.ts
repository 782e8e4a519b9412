export * from './admin.ts';
export * from './admin-notifications.ts';
export * from './admin-stats.ts';
export * from './stats-rollup.ts';
