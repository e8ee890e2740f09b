export { createApp, defaultWebDistDir, type CreateAppOptions, type ServerRouter } from './app';
export { startServer, type RunningServer, type StartServerOptions } from './server';
export type { AppState } from './state';
