/**
 * The tRPC client singletons. Every call goes through the fetch policy (timeouts, retries,
 * single-flight refresh) and is typed by the server's router.
 */
import type { AppRouter } from '@medora/api';
import { createTRPCClient, httpLink } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import superjson from 'superjson';
import { fetchPolicy } from './session';
import { queryClient } from './query-client';

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    // Plain httpLink (no batching): each call has its own HTTP status, so a 401 or a 5xx is
    // handled per call by the fetch policy.
    httpLink({
      url: '/trpc',
      transformer: superjson,
      fetch: fetchPolicy.fetch,
    }),
  ],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
