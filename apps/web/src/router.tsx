/**
 * Code-based route tree. Each page is its own lazily loaded chunk. Protected pages sit under a
 * pathless "_protected" route that sends unauthenticated visitors to /login (and back after).
 */
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
} from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { Layout } from './components/layout';
import { NotFound, RouteError } from './components/error-fallback';
import { authStore, canSeeProtected } from './lib/auth-store';
import { queryClient } from './lib/query-client';
import { safeRedirect } from './lib/redirect';
import { ensureAuthReady, setSessionEndedListener } from './lib/session';

interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  beforeLoad: () => ensureAuthReady(),
  component: Layout,
  errorComponent: RouteError,
  notFoundComponent: NotFound,
});

/** `?redirect=/path` on /login and /register; anything else is dropped. */
function authSearch(search: Record<string, unknown>): { redirect?: string } {
  const target = safeRedirect(search.redirect);
  return target ? { redirect: target } : {};
}

/** Signed-in users have nothing to do on /login and /register. */
function redirectIfSignedIn({ search }: { search: { redirect?: string | undefined } }) {
  if (canSeeProtected(authStore.get())) {
    redirect({ href: safeRedirect(search.redirect) ?? '/', replace: true, throw: true });
  }
}

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: authSearch,
  beforeLoad: redirectIfSignedIn,
  errorComponent: RouteError,
  component: lazyRouteComponent(() => import('./pages/login'), 'LoginPage'),
});

const registerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/register',
  validateSearch: authSearch,
  beforeLoad: redirectIfSignedIn,
  errorComponent: RouteError,
  component: lazyRouteComponent(() => import('./pages/register'), 'RegisterPage'),
});

const protectedRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: '_protected',
  beforeLoad: ({ location }) => {
    if (!canSeeProtected(authStore.get())) {
      redirect({ to: '/login', search: { redirect: location.href }, replace: true, throw: true });
    }
  },
  errorComponent: RouteError,
});

const dashboardRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/',
  errorComponent: RouteError,
  component: lazyRouteComponent(() => import('./pages/dashboard'), 'DashboardPage'),
});

const profileRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/profile',
  errorComponent: RouteError,
  component: lazyRouteComponent(() => import('./pages/profile'), 'ProfilePage'),
});

export const routeTree = rootRoute.addChildren([
  loginRoute,
  registerRoute,
  protectedRoute.addChildren([dashboardRoute, profileRoute]),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: 'intent',
  defaultErrorComponent: RouteError,
  defaultNotFoundComponent: NotFound,
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}

// When the session ends (logout or refused refresh), leave protected pages for /login.
setSessionEndedListener((reason) => {
  const here = router.state.location;
  const search =
    reason === 'expired' && here.pathname !== '/login' && here.pathname !== '/register'
      ? { redirect: here.href }
      : {};
  void router.navigate({ to: '/login', search, replace: true });
});
