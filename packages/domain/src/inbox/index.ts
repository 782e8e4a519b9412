export * from './cursor.ts';
export * from './gateway-reads.ts';
export * from './inbox.ts';
export * from './rows.ts';
export * from './text-match.ts';
export * from './visible.ts';
