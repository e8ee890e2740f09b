export * from './client';
export * from './embedded';
export * from './migrate';
export type * from './generated/database';
