import type { AppRouter } from '@medora/api';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_LEVEL, rawRequest, serveApp, type RawResponse, type ServedApp } from './app-harness';
import { startTestServer, type TestServer } from './start-test-server';

let server: TestServer;
let extra: ServedApp | undefined;
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await extra?.close();
  extra = undefined;
});
afterAll(() => server?.stop());

const EVIL = 'https://evil.example';
const BOUNDARY = '----formboundary7MA4YWxkTrZu0gW';
/** What `<form method="post" enctype="multipart/form-data">` on another site sends. */
const MULTIPART = {
  type: `multipart/form-data; boundary=${BOUNDARY}`,
  body: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--${BOUNDARY}--\r\n`,
};

let phoneSeq = 4000000;

interface Session {
  accessToken: string;
  /** `medora_rt=…`, as the browser would send it back. */
  cookie: string;
}

async function register(): Promise<Session> {
  const res = await fetch(`${server.baseUrl}/trpc/auth.register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      json: { phone: `+99893${phoneSeq++}`, name: 'Cross Site', password: 'correct-horse-battery' },
    }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { result: { data: { json: { accessToken: string } } } };
  return {
    accessToken: body.result.data.json.accessToken,
    cookie: refreshCookieOf(res.headers.get('set-cookie')),
  };
}

function refreshCookieOf(setCookie: string | string[] | null | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie.join(', ') : (setCookie ?? '');
  const match = /medora_rt=[^;]+/.exec(header);
  expect(match, header).not.toBeNull();
  return match![0];
}

const post = (
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  body = JSON.stringify({ json: undefined }),
) => rawRequest(baseUrl, { method: 'POST', path, headers, body });

function expectForbidden(res: RawResponse, label: string) {
  expect(res.status, label).toBe(403);
  expect(res.headers['set-cookie'], label).toBeUndefined();
  const body = JSON.parse(res.body) as {
    error: { code: string; json: { message: string; code: number; data: unknown } };
  };
  expect(body.error.code, label).toBe('FORBIDDEN');
  expect(body.error.json, label).toMatchObject({
    message: 'FORBIDDEN',
    code: -32003,
    data: { code: 'FORBIDDEN', httpStatus: 403, appCode: 'FORBIDDEN' },
  });
}

/** Requests a page on another site can make the browser send, with the victim's cookie. */
const crossSiteVariants: [string, Record<string, string>, string][] = [
  ['form, multipart', { origin: EVIL, 'content-type': MULTIPART.type }, MULTIPART.body],
  ['form, text/plain', { origin: EVIL, 'content-type': 'text/plain' }, '{"json":null}'],
  ['fetch, JSON', { origin: EVIL, 'content-type': 'application/json' }, '{}'],
  ['sandboxed page', { origin: 'null', 'content-type': MULTIPART.type }, MULTIPART.body],
  ['a sibling subdomain', { origin: 'https://medora.example.evil.example' }, '{}'],
  [
    'no Origin, fetch metadata says cross-site',
    { 'sec-fetch-site': 'cross-site', 'content-type': MULTIPART.type },
    MULTIPART.body,
  ],
  [
    'no Origin, fetch metadata says same-site',
    { 'sec-fetch-site': 'same-site', 'content-type': 'application/json' },
    '{}',
  ],
];

describe('cross-site state changes', () => {
  it('refuse auth.refresh and auth.logout sent from another site; the session lives on', async () => {
    const session = await register();
    for (const procedure of ['auth.refresh', 'auth.logout']) {
      for (const [label, headers, body] of crossSiteVariants) {
        const res = await post(
          server.baseUrl,
          `/trpc/${procedure}`,
          { ...headers, cookie: session.cookie },
          body,
        );
        expectForbidden(res, `${procedure}: ${label}`);
      }
    }
    // Logout did not end the session…
    const me = await fetch(`${server.baseUrl}/trpc/auth.me`, {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect(me.status).toBe(200);
    // …and refresh did not rotate the cookie: the original one still refreshes, once.
    const own = new URL(server.baseUrl).origin;
    const refreshed = await post(server.baseUrl, '/trpc/auth.refresh', {
      origin: own,
      'content-type': 'application/json',
      cookie: session.cookie,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshCookieOf(refreshed.headers['set-cookie'])).not.toBe(session.cookie);
  });

  it('answer in a shape the tRPC client reads as FORBIDDEN', async () => {
    const client = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${server.baseUrl}/trpc`,
          transformer: superjson,
          headers: { origin: EVIL },
        }),
      ],
    });
    const failure = await client.auth.logout.mutate().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TRPCClientError);
    const error = failure as TRPCClientError<AppRouter>;
    expect(error.message).toBe('FORBIDDEN');
    expect(error.data).toMatchObject({ appCode: 'FORBIDDEN', httpStatus: 403 });
  });

  it("accept the app's own origin, fetch metadata of its own pages, and callers outside a browser", async () => {
    const { host } = new URL(server.baseUrl);
    const accepted: [string, Record<string, string>][] = [
      ['own origin', { origin: `http://${host}` }],
      ['own origin, spelled differently', { origin: `HTTP://${host.toUpperCase()}` }],
      ['same-origin fetch metadata', { 'sec-fetch-site': 'same-origin' }],
      ['typed into the address bar', { 'sec-fetch-site': 'none' }],
      ['curl or another server', {}],
    ];
    for (const [label, headers] of accepted) {
      const res = await post(server.baseUrl, '/trpc/auth.logout', {
        ...headers,
        'content-type': 'application/json',
      });
      expect(res.status, label).toBe(200);
    }
    // Reads change nothing and are not guarded (the browser keeps their answers from the page).
    const read = await rawRequest(server.baseUrl, {
      method: 'GET',
      path: '/trpc/auth.me',
      headers: { origin: EVIL },
    });
    expect(read.status).toBe(401);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('accept the origins listed in ALLOWED_ORIGINS, and only those', async () => {
    const listed = await startTestServer({
      env: { ALLOWED_ORIGINS: 'https://app.medora.example, https://Admin.Medora.Example:443' },
    });
    try {
      const logout = (origin: string) =>
        post(listed.baseUrl, '/trpc/auth.logout', { origin, 'content-type': 'application/json' });
      expect((await logout('https://app.medora.example')).status).toBe(200);
      expect((await logout('https://admin.medora.example')).status).toBe(200);
      expectForbidden(await logout('http://app.medora.example'), 'other scheme');
      expectForbidden(await logout('https://app.medora.example:8443'), 'other port');
      expectForbidden(await logout(EVIL), 'unlisted');
    } finally {
      await listed.stop();
    }
  });

  it('take the scheme and host from a trusted proxy, and only from a trusted one', async () => {
    const viaProxy = {
      host: 'internal:3000',
      'x-forwarded-host': 'medora.example',
      'x-forwarded-proto': 'https',
      origin: 'https://medora.example',
      'content-type': 'application/json',
    };
    extra = await serveApp(server, { config: { trustProxy: true } });
    expect((await post(extra.baseUrl, '/trpc/auth.logout', viaProxy)).status).toBe(200);
    await extra.close();

    extra = await serveApp(server, { config: { trustProxy: false } });
    const untrusted = await post(extra.baseUrl, '/trpc/auth.logout', {
      ...viaProxy,
      host: 'medora.example',
    });
    expectForbidden(untrusted, 'untrusted proxy');
    // The operator's likely mistake is named in the log, which stays below error level.
    const hint = () => extra!.logs.find((l) => String(l.reason).includes('TRUST_PROXY'));
    await expect.poll(() => hint()?.level).toBe(40);
    expect(extra.logs.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
  });

  it('guard every POST under /api, whatever its body', async () => {
    extra = await serveApp(server, {
      routes: (router) => router.post('/api/upload', (ctx) => void (ctx.body = { ok: true })),
    });
    const upload = (headers: Record<string, string>) =>
      post(
        extra!.baseUrl,
        '/api/upload',
        { 'content-type': MULTIPART.type, ...headers },
        MULTIPART.body,
      );
    const refused = await upload({ origin: EVIL });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await upload({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // Uploads from the app itself are multipart, and welcome.
    const own = await upload({ origin: new URL(extra.baseUrl).origin });
    expect(own.status).toBe(200);
  });
});

describe('tRPC mutation bodies', () => {
  it('must be JSON: a form body from the same origin is refused with 415 and changes nothing', async () => {
    const session = await register();
    const refusedTypes = [
      MULTIPART.type,
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/octet-stream',
      'application/json-patch+json',
    ];
    for (const type of refusedTypes) {
      for (const procedure of ['auth.refresh', 'auth.logout']) {
        const res = await post(
          server.baseUrl,
          `/trpc/${procedure}`,
          { 'content-type': type, cookie: session.cookie },
          type === MULTIPART.type ? MULTIPART.body : '{}',
        );
        expect(res.status, `${procedure} ${type}`).toBe(415);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(JSON.parse(res.body)).toMatchObject({
          error: {
            json: {
              message: 'VALIDATION_FAILED',
              data: {
                code: 'UNSUPPORTED_MEDIA_TYPE',
                httpStatus: 415,
                appCode: 'VALIDATION_FAILED',
              },
            },
          },
        });
      }
    }
    // No Content-Type at all is not JSON either.
    const bare = await rawRequest(server.baseUrl, {
      method: 'POST',
      path: '/trpc/auth.logout',
      headers: { cookie: session.cookie },
    });
    expect(bare.status).toBe(415);

    const me = await fetch(`${server.baseUrl}/trpc/auth.me`, {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect(me.status).toBe(200);
    for (const type of ['application/json; charset=utf-8', 'Application/JSON']) {
      const res = await post(server.baseUrl, '/trpc/auth.logout', { 'content-type': type });
      expect(res.status, type).toBe(200);
    }
  });
});
