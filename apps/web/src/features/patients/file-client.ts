import { authStore } from '../../lib/auth-store';
import { endSession, fetchPolicy } from '../../lib/session';
import { createFileClient, FileRequestError } from './upload';

/**
 * The file client on the app's session: the same in-memory access token as the tRPC client and
 * the same single-flight refresh, so an upload that meets an expired token refreshes once with
 * every other call and is sent again.
 */
export const fileClient = createFileClient({
  getAccessToken: authStore.getAccessToken,
  refresh: async () => {
    const outcome = await fetchPolicy.refresh();
    if (outcome.kind === 'session') return outcome.auth.accessToken;
    if (outcome.kind === 'signedOut') {
      await endSession('expired', outcome.reason ?? 'expired');
      return null;
    }
    // No answer about the session (network, 5xx): say that, not "sign in again".
    throw new FileRequestError({
      kind: 'network',
      appCode: null,
      httpStatus: null,
      fieldErrors: {},
      retryAfterSeconds: null,
      attemptsRemaining: null,
    });
  },
});
