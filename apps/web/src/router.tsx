/**
 * Code-based route tree. Each page is its own lazily loaded chunk from its feature folder, and
 * each route's loader brings the feature's translations (and prefetches its data) before the
 * page renders. Protected pages sit under a pathless "_protected" route that sends
 * unauthenticated visitors to /login (and back after); administrators land on /admin.
 */
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
  type RouterHistory,
} from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { Layout } from './components/layout';
import { NotFound, RouteError } from './components/error-fallback';
import { loadAccount } from './features/account/queries';
import { loadAnalysis, loadNewAnalysis, loadRecentAnalyses } from './features/analyses/queries';
import { analysesTranslations } from './features/analyses/translations';
import { accountTranslations } from './features/account/translations';
import { loadJobs, loadOverview, validatePaymentSearch } from './features/admin/queries';
import { adminTranslations } from './features/admin/translations';
import { authTranslations } from './features/auth/translations';
import { loadDashboard } from './features/dashboard/queries';
import { dashboardTranslations } from './features/dashboard/translations';
import { defaultFilters, loadPatient, loadPatientList } from './features/patients/queries';
import { loadNotifications } from './features/notifications/queries';
import { notificationsTranslations } from './features/notifications/translations';
import { filtersOf, validatePatientListSearch } from './features/patients/search';
import { patientsTranslations } from './features/patients/translations';
import { loadSubscription } from './features/subscription/queries';
import { subscriptionTranslations } from './features/subscription/translations';
import { loadTranslations } from './i18n';
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
  loader: () => loadTranslations('auth', authTranslations),
  component: lazyRouteComponent(() => import('./features/auth/login-page'), 'LoginPage'),
});

const registerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/register',
  validateSearch: authSearch,
  beforeLoad: redirectIfSignedIn,
  loader: () => loadTranslations('auth', authTranslations),
  component: lazyRouteComponent(() => import('./features/auth/register-page'), 'RegisterPage'),
});

const protectedRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: '_protected',
  beforeLoad: ({ location }) => {
    if (!canSeeProtected(authStore.get())) {
      redirect({ to: '/login', search: { redirect: location.href }, replace: true, throw: true });
    }
  },
});

const isAdmin = () => authStore.get().user?.role === 'admin';

const dashboardRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/',
  // The doctor's dashboard means nothing to an administrator.
  beforeLoad: () => {
    if (isAdmin()) redirect({ to: '/admin', replace: true, throw: true });
  },
  loader: ({ context }) =>
    Promise.all([
      loadTranslations('dashboard', dashboardTranslations),
      loadDashboard(context.queryClient),
    ]),
  component: lazyRouteComponent(
    () => import('./features/dashboard/dashboard-page'),
    'DashboardPage',
  ),
});

const adminRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/admin',
  beforeLoad: () => {
    if (!isAdmin()) redirect({ to: '/', replace: true, throw: true });
  },
  loader: ({ context }) =>
    Promise.all([loadTranslations('admin', adminTranslations), loadOverview(context.queryClient)]),
  component: lazyRouteComponent(() => import('./features/admin/admin-page'), 'AdminPage'),
});

const adminsOnly = () => {
  if (!isAdmin()) redirect({ to: '/', replace: true, throw: true });
};

const adminUsersRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/admin/users',
  beforeLoad: adminsOnly,
  loader: () => loadTranslations('admin', adminTranslations),
  component: lazyRouteComponent(() => import('./features/admin/users-page'), 'AdminUsersPage'),
});

const adminUserRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/admin/users/$userId',
  beforeLoad: adminsOnly,
  loader: () => loadTranslations('admin', adminTranslations),
  preloadStaleTime: 0,
  component: lazyRouteComponent(() => import('./features/admin/user-page'), 'AdminUserPage'),
});

const adminAuditRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/admin/audit',
  beforeLoad: adminsOnly,
  loader: () => loadTranslations('admin', adminTranslations),
  component: lazyRouteComponent(() => import('./features/admin/audit-page'), 'AdminAuditPage'),
});

const adminJobsRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/admin/jobs',
  beforeLoad: adminsOnly,
  loader: ({ context }) =>
    Promise.all([loadTranslations('admin', adminTranslations), loadJobs(context.queryClient)]),
  component: lazyRouteComponent(() => import('./features/admin/jobs-page'), 'AdminJobsPage'),
});

const profileRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/profile',
  loader: ({ context }) =>
    Promise.all([
      loadTranslations('account', accountTranslations),
      loadAccount(context.queryClient),
    ]),
  // Fresh on every visit: data preloaded while hovering a link is not reused on the click.
  preloadStaleTime: 0,
  component: lazyRouteComponent(() => import('./features/account/profile-page'), 'ProfilePage'),
});

const notificationsRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/notifications',
  loader: ({ context }) =>
    Promise.all([
      loadTranslations('notifications', notificationsTranslations),
      loadNotifications(context.queryClient),
    ]),
  component: lazyRouteComponent(
    () => import('./features/notifications/notifications-page'),
    'NotificationsPage',
  ),
});

// Patients are a doctor's records: an administrator has none.
const doctorsOnly = () => {
  if (isAdmin()) redirect({ to: '/admin', replace: true, throw: true });
};

const patientsRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/patients',
  validateSearch: validatePatientListSearch,
  beforeLoad: doctorsOnly,
  // Not loaderDeps: a new search must not hold the page while it loads. The list query itself
  // follows the URL (keeping the previous answer on screen); the loader prefetches the first paint.
  loader: ({ context, location }) =>
    Promise.all([
      loadTranslations('patients', patientsTranslations),
      loadPatientList(
        context.queryClient,
        filtersOf(validatePatientListSearch(location.search as Record<string, unknown>)),
      ),
    ]),
  component: lazyRouteComponent(() => import('./features/patients/patients-page'), 'PatientsPage'),
});

// A page of its own rather than a dialog: a long form reads better full width on a phone, the
// browser's Back leaves it, and after creating, the new patient's page takes its place.
const newPatientRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/patients/new',
  beforeLoad: doctorsOnly,
  loader: ({ context }) =>
    Promise.all([
      loadTranslations('patients', patientsTranslations),
      // Warm the list the doctor most likely returns to.
      loadPatientList(context.queryClient, defaultFilters),
    ]),
  component: lazyRouteComponent(
    () => import('./features/patients/new-patient-page'),
    'NewPatientPage',
  ),
});

const patientRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/patients/$patientId',
  beforeLoad: doctorsOnly,
  loader: ({ context, params }) =>
    Promise.all([
      loadTranslations('patients', patientsTranslations),
      loadTranslations('analyses', analysesTranslations),
      loadPatient(context.queryClient, params.patientId),
    ]),
  // Fresh on every visit (and an opening is audited): a preloaded answer is not reused.
  preloadStaleTime: 0,
  component: lazyRouteComponent(() => import('./features/patients/patient-page'), 'PatientPage'),
});

const analysesRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/analyses',
  beforeLoad: doctorsOnly,
  loader: ({ context }) =>
    Promise.all([
      loadTranslations('analyses', analysesTranslations),
      loadRecentAnalyses(context.queryClient),
    ]),
  component: lazyRouteComponent(() => import('./features/analyses/analyses-page'), 'AnalysesPage'),
});

const newAnalysisRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/patients/$patientId/analyses/new',
  beforeLoad: doctorsOnly,
  loader: ({ context, params }) =>
    Promise.all([
      loadTranslations('patients', patientsTranslations),
      loadTranslations('analyses', analysesTranslations),
      loadNewAnalysis(context.queryClient, params.patientId),
    ]),
  component: lazyRouteComponent(
    () => import('./features/analyses/new-analysis-page'),
    'NewAnalysisPage',
  ),
});

const analysisRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/analyses/$analysisId',
  beforeLoad: doctorsOnly,
  loader: ({ context, params }) =>
    Promise.all([
      loadTranslations('analyses', analysesTranslations),
      loadAnalysis(context.queryClient, params.analysisId),
    ]),
  // Opening a report is audited: a preloaded answer is not reused.
  preloadStaleTime: 0,
  component: lazyRouteComponent(() => import('./features/analyses/analysis-page'), 'AnalysisPage'),
});

const subscriptionRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/subscription',
  beforeLoad: doctorsOnly,
  loader: ({ context }) =>
    Promise.all([
      loadTranslations('subscription', subscriptionTranslations),
      loadSubscription(context.queryClient),
    ]),
  // The status and a review's outcome change on the server: fresh on every visit.
  preloadStaleTime: 0,
  component: lazyRouteComponent(
    () => import('./features/subscription/subscription-page'),
    'SubscriptionPage',
  ),
});

const adminPaymentsRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/admin/payments',
  validateSearch: (search: Record<string, unknown>) => validatePaymentSearch(search),
  beforeLoad: adminsOnly,
  loader: () => loadTranslations('admin', adminTranslations),
  component: lazyRouteComponent(
    () => import('./features/admin/payments-page'),
    'AdminPaymentsPage',
  ),
});

const adminPaymentRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/admin/payments/$paymentId',
  beforeLoad: adminsOnly,
  loader: () => loadTranslations('admin', adminTranslations),
  preloadStaleTime: 0,
  component: lazyRouteComponent(() => import('./features/admin/payment-page'), 'AdminPaymentPage'),
});

const adminPlansRoute = createRoute({
  getParentRoute: () => protectedRoute,
  path: '/admin/plans',
  beforeLoad: adminsOnly,
  loader: () => loadTranslations('admin', adminTranslations),
  component: lazyRouteComponent(() => import('./features/admin/plans-page'), 'AdminPlansPage'),
});

export const routeTree = rootRoute.addChildren([
  loginRoute,
  registerRoute,
  protectedRoute.addChildren([
    dashboardRoute,
    adminRoute,
    adminUsersRoute,
    adminUserRoute,
    adminAuditRoute,
    adminJobsRoute,
    adminPaymentsRoute,
    adminPaymentRoute,
    adminPlansRoute,
    profileRoute,
    notificationsRoute,
    patientsRoute,
    newPatientRoute,
    patientRoute,
    analysesRoute,
    newAnalysisRoute,
    analysisRoute,
    subscriptionRoute,
  ]),
]);

/**
 * The app's router. The build's prerender (src/prerender.tsx) makes one on a memory history and
 * without scroll restoration, which would draw an inline script the CSP refuses.
 */
export function createAppRouter(prerender?: { history: RouterHistory }) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    defaultErrorComponent: RouteError,
    defaultNotFoundComponent: NotFound,
    scrollRestoration: !prerender,
    ...(prerender ? { history: prerender.history } : {}),
  });
}

export const router = createAppRouter();

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
