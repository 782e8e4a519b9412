export * from './placeholders.ts';
export * from './templates.ts';
export * from './unsubscribe.ts';
export * from './mailer.ts';
export * from './compose.ts';
