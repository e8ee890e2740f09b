export { appRouter, createCaller, type AppRouter } from './root';
export {
  createContext,
  createInnerContext,
  authCookies,
  DEVICE_COOKIE,
  REFRESH_COOKIE,
  appErrorData,
  type AppErrorData,
  type Context,
  type CookieJar,
  type CookieOptions,
  type InnerContext,
} from './trpc';
