export * from './health';
export * from './heartbeat';
