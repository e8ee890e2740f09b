/**
 * The tRPC client singletons. Every call goes through the fetch policy's link chain (refresh on
 * 401, retries, timeouts) and is typed by the server's router.
 */
import type { AppRouter } from '@medora/api';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { fetchPolicy } from './session';
import { queryClient } from './query-client';

export const trpcClient = fetchPolicy.client;

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
