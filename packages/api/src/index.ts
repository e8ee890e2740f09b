export { appRouter, createCaller, type AppRouter } from './root';
export {
  createInnerContext,
  REFRESH_COOKIE,
  appErrorData,
  type AppErrorData,
  type Context,
  type CookieJar,
  type CookieOptions,
  type RequestInfo,
} from './trpc';
