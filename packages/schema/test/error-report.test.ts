import { describe, expect, it } from 'vitest';
import {
  isSensitiveKey,
  scrubBreadcrumb,
  scrubEvent,
  scrubText,
  stripQuery,
} from '../src/error-report';

const JWT =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwicm9sZSI6ImRvY3RvciJ9.dGhpcy1pcy1hLXNpZ25hdHVyZQ';
const REFRESH = 'Qm9yaXNfS2FyaW1vdl9yZWZyZXNoX3Rva2VuXzIwMjY';
const REQUEST_ID = '6f1c2a8e-4000-4000-8000-000000000001';

describe('scrubText', () => {
  it.each([
    ['+998 90 123-45-67', '[phone]'],
    ['+998901234567', '[phone]'],
    ['998901234567', '[phone]'],
    ['(90) 1234567', '[phone]'],
    ['call 90 123 45 67 now', 'call [phone] now'],
    ['dilnoza.karimova@mail.uz wrote', '[email] wrote'],
    ['Дилноза@почта.уз', '[email]'],
    [`token ${JWT}`, 'token [token]'],
    [`Authorization: Bearer abcdefgh.ijkl-mnop`, 'Authorization: Bearer [token]'],
    [`refresh ${REFRESH}`, 'refresh [secret]'],
    ['key 0123456789abcdef0123456789abcdef', 'key [secret]'],
    ['GET /trpc/patient.list?input=%7B%22q%22%3A%22Karimova%22%7D', 'GET /trpc/patient.list'],
    [
      'at http://127.0.0.1:3000/api/files?name=Dilnoza#x done',
      'at http://127.0.0.1:3000/api/files done',
    ],
  ])('masks %j', (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });

  it('keeps what a report is read by: ids, codes, short numbers, ordinary words', () => {
    const text = `request ${REQUEST_ID} failed: INTERNAL at step 3 of 12 (attempt 2), what? yes`;
    expect(scrubText(text)).toBe(text);
  });
});

describe('isSensitiveKey', () => {
  it.each([
    'password',
    'currentPassword',
    'firstName',
    'last_name',
    'patientPhone',
    'x-auth-token',
    'Authorization',
    'cookie',
    'complaints',
    'history',
    'labs',
    'value',
    'notes',
    'allergies',
    'email',
    'address',
    'birthDate',
    'input',
    'apiKey',
  ])('drops %s', (key) => expect(isSensitiveKey(key)).toBe(true));

  it.each(['requestId', 'procedure', 'route', 'task', 'jobId', 'attempt', 'service', 'status'])(
    'keeps %s',
    (key) => expect(isSensitiveKey(key)).toBe(false),
  );
});

describe('stripQuery', () => {
  it('keeps the origin and path only', () => {
    expect(
      stripQuery('https://medora.uz/trpc/patient.create?input={"phone":"+998901234567"}'),
    ).toBe('https://medora.uz/trpc/patient.create');
    expect(stripQuery('/patients/123#notes')).toBe('/patients/123');
  });
});

/** An event as the Node SDK builds it for a failed request, with everything it may collect. */
function fullEvent() {
  return {
    event_id: 'abc',
    message: 'failed for +998901234567',
    logentry: { message: 'lookup of dilnoza@mail.uz', params: ['Dilnoza Karimova'] },
    transaction: 'POST /trpc/patient.create?input=x',
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:3000/trpc/patient.create?input=%7B%22firstName%22%3A%22Dilnoza%22%7D',
      query_string: 'input=%7B%22firstName%22%3A%22Dilnoza%22%7D',
      data: '{"firstName":"Dilnoza","phone":"+998901234567","complaints":"Bosh og\'rig\'i"}',
      cookies: { medora_rt: REFRESH },
      headers: {
        'user-agent': 'Mozilla/5.0',
        authorization: `Bearer ${JWT}`,
        cookie: `medora_rt=${REFRESH}`,
        'x-request-id': REQUEST_ID,
        'x-forwarded-for': '203.0.113.7',
        referer: 'https://medora.uz/patients?q=Karimova',
      },
      env: { REMOTE_ADDR: '203.0.113.7' },
    },
    user: { id: 'u-1', email: 'dilnoza@mail.uz', username: 'Dilnoza', ip_address: '203.0.113.7' },
    tags: { requestId: REQUEST_ID, procedure: 'patient.create', patientName: 'Dilnoza' },
    extra: {
      input: { firstName: 'Dilnoza' },
      note: 'Bosh og‘rig‘i',
      attempt: 2,
      nested: { phone: '+998901234567', reason: 'call +998 90 123 45 67' },
    },
    contexts: {
      runtime: { name: 'node', version: 'v22.0.0' },
      os: { name: 'Linux' },
      patient: { firstName: 'Dilnoza' },
      job: { task: 'analysis__run', payload: { complaints: 'Holsizlik' } },
    },
    exception: {
      values: [
        {
          type: 'Error',
          value: 'insert failed: Key (phone)=(+998901234567) already exists, token ' + JWT,
          mechanism: { type: 'generic', handled: true, data: { detail: 'x', name: 'Dilnoza' } },
          stacktrace: {
            frames: [
              {
                filename: '/app/packages/core/src/patients/service.ts',
                function: 'create',
                lineno: 10,
                context_line: "  const phone = '+998901234567';",
                pre_context: ['// mail dilnoza@mail.uz'],
                vars: { input: { firstName: 'Dilnoza' } },
              },
            ],
          },
        },
      ],
    },
    breadcrumbs: [
      { category: 'console', message: 'patient Dilnoza Karimova' },
      {
        category: 'fetch',
        data: { url: '/trpc/patient.list?input=Karimova', method: 'GET', status_code: 500 },
      },
      {
        category: 'navigation',
        data: { from: '/patients?q=Karimova', to: '/patients/1?tab=labs' },
      },
      { category: 'ui.click', message: 'button "+998901234567"' },
    ],
  };
}

describe('scrubEvent', () => {
  it('sends none of the personal, clinical or secret values an SDK collected', () => {
    const scrubbed = JSON.stringify(scrubEvent(fullEvent()));
    for (const value of [
      'Dilnoza',
      'Karimova',
      '998901234567',
      '90 123 45 67',
      'dilnoza@mail.uz',
      "Bosh og'rig'i",
      'Bosh og‘rig‘i',
      'Holsizlik',
      JWT,
      REFRESH,
      '203.0.113.7',
      'input=',
    ]) {
      expect(scrubbed, value).not.toContain(value);
    }
  });

  it('keeps what the report is read by', () => {
    const e = scrubEvent(fullEvent());
    expect(e.request).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:3000/trpc/patient.create',
      headers: { 'user-agent': 'Mozilla/5.0', 'x-request-id': REQUEST_ID },
    });
    expect(e.user).toEqual({ id: 'u-1' });
    expect(e.tags).toEqual({ requestId: REQUEST_ID, procedure: 'patient.create' });
    expect(e.extra).toEqual({ attempt: 2, nested: { reason: 'call [phone]' } });
    expect(e.contexts).toEqual({
      runtime: { name: 'node', version: 'v22.0.0' },
      os: { name: 'Linux' },
      patient: {},
      job: { task: 'analysis__run' },
    });
    expect(e.transaction).toBe('POST /trpc/patient.create');
    const ex = e.exception.values[0]!;
    expect(ex.value).toBe('insert failed: Key (phone)=([phone]) already exists, token [token]');
    expect(ex.mechanism).toEqual({ type: 'generic', handled: true, data: { detail: 'x' } });
    expect(ex.stacktrace.frames[0]).toEqual({
      filename: '/app/packages/core/src/patients/service.ts',
      function: 'create',
      lineno: 10,
      context_line: "  const phone = '[phone]';",
      pre_context: ['// mail [email]'],
    });
    expect(e.breadcrumbs).toEqual([
      { category: 'fetch', data: { url: '/trpc/patient.list', method: 'GET', status_code: 500 } },
      { category: 'navigation', data: { from: '/patients', to: '/patients/1' } },
      { category: 'ui.click', message: 'button "[phone]"' },
    ]);
  });

  it('drops a user without an id, and leaves an event without request or user alone', () => {
    expect(scrubEvent({ user: { email: 'a@b.uz' } })).toEqual({});
    expect(scrubEvent({ message: 'plain' })).toEqual({ message: 'plain' });
  });
});

describe('scrubBreadcrumb', () => {
  it('drops console lines and masks the rest', () => {
    expect(scrubBreadcrumb({ category: 'console', message: 'x' })).toBeNull();
    expect(
      scrubBreadcrumb({ category: 'xhr', data: { url: '/api/x?phone=1', body: '{}' } }),
    ).toEqual({ category: 'xhr', data: { url: '/api/x' } });
  });
});
