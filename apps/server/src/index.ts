export { createApp, defaultWebDistDir, type CreateAppOptions, type ServerRouter } from './app';
export {
  startServer,
  type RunningServer,
  type ServerAppOptions,
  type StartServerOptions,
} from './server';
export type { AppState } from './state';
export { directProcedure, serveDirectCall, type DirectCallOptions } from './routes/trpc-call';
