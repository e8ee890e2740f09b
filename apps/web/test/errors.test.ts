// @vitest-environment jsdom
import { TRPCClientError } from '@trpc/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { appErrorCodes, fieldErrorCodes, localeCookie, locales } from '@medora/schema';
import { initI18n } from '../src/i18n';
import { errorMessage, fieldErrorMessage, parseError } from '../src/lib/errors';
import { LOCALE_COOKIE, LOCALES } from '../src/lib/locales';

const i18n = initI18n('en');

function trpcError(data: Record<string, unknown>) {
  return TRPCClientError.from({ error: { message: 'x', code: -32600, data } });
}

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

describe('LOCALES', () => {
  it('equals the schema locales', () => {
    expect([...LOCALES]).toEqual([...locales]);
  });

  it('names the locale cookie as the schema does', () => {
    expect(LOCALE_COOKIE).toBe(localeCookie);
  });
});

describe('error messages', () => {
  it('translates every field error code, including dotted ones, in every language', async () => {
    for (const locale of locales) {
      await i18n.changeLanguage(locale);
      for (const code of fieldErrorCodes) {
        const text = fieldErrorMessage(i18n.t, code);
        expect(text, `${locale}: ${code}`).not.toContain('errors.field');
        expect(text.length).toBeGreaterThan(3);
      }
      for (const code of appErrorCodes) {
        const text = errorMessage(
          i18n.t,
          parseError(trpcError({ appCode: code, httpStatus: 400 })),
        );
        expect(text, `${locale}: ${code}`).not.toContain('errors.app');
      }
    }
    await i18n.changeLanguage('en');
  });

  it('reads appCode, field errors and the retry delay', () => {
    const parsed = parseError(
      trpcError({
        code: 'TOO_MANY_REQUESTS',
        httpStatus: 429,
        appCode: 'TOO_MANY_ATTEMPTS',
        fieldErrors: { phone: ['phone.invalid', 'bogus'] },
        retryAfterSeconds: 125,
      }),
    );
    expect(parsed).toMatchObject({
      kind: 'app',
      appCode: 'TOO_MANY_ATTEMPTS',
      retryAfterSeconds: 125,
    });
    expect(parsed.fieldErrors).toEqual({ phone: ['phone.invalid'] });
    expect(errorMessage(i18n.t, parsed)).toBe('Too many attempts. Try again in 3 minutes.');
    expect(
      errorMessage(
        i18n.t,
        parseError(trpcError({ appCode: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: 1 })),
      ),
    ).toBe('Too many attempts. Try again in 1 second.');
  });

  it('falls back on the tRPC code when there is no app code', () => {
    expect(parseError(trpcError({ code: 'UNAUTHORIZED', httpStatus: 401 })).appCode).toBe(
      'UNAUTHENTICATED',
    );
    expect(parseError(trpcError({ code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 })).kind).toBe(
      'server',
    );
    expect(
      parseError(trpcError({ appCode: 'SOMETHING_NEW', httpStatus: 400, code: 'BAD_REQUEST' }))
        .appCode,
    ).toBe('VALIDATION_FAILED');
  });

  it('recognises network failures and timeouts', () => {
    const network = TRPCClientError.from(new TypeError('Failed to fetch'));
    expect(errorMessage(i18n.t, parseError(network))).toBe(i18n.t('errors.network'));
    const timeout = TRPCClientError.from(
      // What fetch rejects with when AbortSignal.timeout fires.
      new DOMException('The operation timed out.', 'TimeoutError'),
    );
    expect(errorMessage(i18n.t, parseError(timeout))).toBe(i18n.t('errors.timeout'));
  });
});
