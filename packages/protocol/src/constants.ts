/**
 * The protocol's plain constants without any schema, for code that must stay small (the browser
 * SDK): importing the package root would pull in zod.
 */
export { limits } from './limits.ts';
export { closeCodes, errorFrameCodes } from './codes.ts';
