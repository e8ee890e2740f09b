export * from './health';
export * from './heartbeat';
export * from './connections';
