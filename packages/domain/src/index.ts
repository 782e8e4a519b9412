export * from './admin/index.ts';
export * from './directory/index.ts';
export * from './email/index.ts';
export * from './inbox/index.ts';
export * from './preferences/index.ts';
export * from './retry.ts';
export * from './scheduling/index.ts';
export * from './sending/index.ts';
