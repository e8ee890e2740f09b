// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from 'vitest';
import { MB } from '@medora/schema';
import { describeAction } from '../src/features/patients/access-log';
import {
  ageLabel,
  canPreview,
  fileKind,
  formatPhone,
  formatSize,
  fullName,
} from '../src/features/patients/format';
import { createSchema, updateSchema, valuesOf } from '../src/features/patients/patient-form';
import { filtersOf, validatePatientListSearch } from '../src/features/patients/search';
import { patientsTranslations } from '../src/features/patients/translations';
import {
  checkAttachment,
  createFileClient,
  errorFromResponse,
  FileRequestError,
} from '../src/features/patients/upload';
import { i18next, initI18n, loadTranslations, setLocale } from '../src/i18n';
import { errorMessage } from '../src/lib/errors';

beforeAll(async () => {
  initI18n('en');
  await setLocale('en');
  await loadTranslations('patients', patientsTranslations);
});

const t = (...args: Parameters<typeof i18next.t>) => i18next.t(...args);

describe('how a patient reads', () => {
  it('shows the age as "34 y", and "≈34 y" when only the age was told, in every language', async () => {
    expect(ageLabel(i18next.t, { ageYears: 34, ageIsApproximate: false })).toEqual({
      text: '34 y',
      spoken: '34 years old',
    });
    expect(ageLabel(i18next.t, { ageYears: 1, ageIsApproximate: true })).toEqual({
      text: '≈1 y',
      spoken: 'about 1 year old',
    });
    await setLocale('ru');
    expect(ageLabel(i18next.t, { ageYears: 21, ageIsApproximate: false }).text).toBe('21 год');
    expect(ageLabel(i18next.t, { ageYears: 34, ageIsApproximate: true }).text).toBe('≈34 года');
    expect(ageLabel(i18next.t, { ageYears: 35, ageIsApproximate: false }).text).toBe('35 лет');
    await setLocale('uz');
    expect(ageLabel(i18next.t, { ageYears: 34, ageIsApproximate: true })).toEqual({
      text: '≈34 yosh',
      spoken: 'taxminan 34 yosh',
    });
    await setLocale('en');
  });

  it('writes the family name first and the phone in groups', () => {
    expect(fullName({ firstName: 'Alisher', lastName: 'Shukurov', middleName: null })).toBe(
      'Shukurov Alisher',
    );
    expect(fullName({ firstName: 'Madina', lastName: 'Karimova', middleName: 'Rustamovna' })).toBe(
      'Karimova Madina Rustamovna',
    );
    expect(formatPhone('+998901234567')).toBe('+998 90 123 45 67');
    expect(formatPhone('12345')).toBe('12345');
  });

  it('names file kinds, says which ones preview, and sizes files', () => {
    expect(fileKind('image/png')).toBe('image');
    expect(fileKind('application/pdf')).toBe('pdf');
    expect(
      fileKind('application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
    ).toBe('word');
    expect(fileKind('application/vnd.ms-excel')).toBe('excel');
    expect(fileKind('text/plain')).toBe('other');
    expect(canPreview('image/jpeg')).toBe(true);
    expect(canPreview('application/pdf')).toBe(true);
    expect(canPreview('image/heic')).toBe(false);
    expect(canPreview('application/msword')).toBe(false);
    expect(formatSize(i18next.t, 812, 'en')).toBe('812 B');
    expect(formatSize(i18next.t, 1536, 'en')).toBe('1.5 KB');
    expect(formatSize(i18next.t, 10 * MB, 'en')).toBe('10 MB');
  });

  it('translates every action of the access log, and says when one was refused', () => {
    for (const action of [
      'patient.view',
      'patient.create',
      'patient.update',
      'patient.archive',
      'patient.restore',
      'patient.list',
      'file.upload',
      'file.download',
      'file.delete',
    ]) {
      const text = describeAction(i18next.t, { action, outcome: 'success' });
      expect(text, action).not.toContain(action);
      expect(text, action).not.toBe('');
    }
    expect(describeAction(i18next.t, { action: 'patient.view', outcome: 'success' })).toBe(
      'Opened the record',
    );
    expect(
      describeAction(i18next.t, { action: 'file.upload', outcome: 'success' }, 'scan.png'),
    ).toBe('Uploaded a file (scan.png)');
    expect(describeAction(i18next.t, { action: 'patient.update', outcome: 'denied' })).toBe(
      'Changed the details — refused',
    );
    expect(describeAction(i18next.t, { action: 'patient.merge', outcome: 'success' })).toBe(
      'Other action (patient.merge)',
    );
  });
});

describe('the patient form schema', () => {
  const valid = { ...valuesOf(null), firstName: 'Alisher', lastName: 'Shukurov', sex: 'male' };
  const issues = (result: {
    success: boolean;
    error?: { issues: { path: PropertyKey[]; message: string }[] };
  }) => (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

  it('asks for the birth date or the age together with the other errors, not a round later', () => {
    const result = createSchema.safeParse({ ...valid, sex: '' });
    expect(issues(result)).toEqual(
      expect.arrayContaining([
        'sex: sex.invalid',
        'birthDate: patient.birth_date_or_age',
        'ageYears: patient.birth_date_or_age',
      ]),
    );
  });

  it('says it once when it is the only problem, and accepts exactly one of the two', () => {
    const neither = issues(createSchema.safeParse(valid));
    expect(neither.filter((i) => i === 'birthDate: patient.birth_date_or_age')).toHaveLength(1);
    expect(createSchema.safeParse({ ...valid, ageYears: 34 }).success).toBe(true);
    expect(createSchema.safeParse({ ...valid, birthDate: '1991-04-12' }).success).toBe(true);
    expect(
      issues(createSchema.safeParse({ ...valid, birthDate: '1991-04-12', ageYears: 34 })),
    ).toContain('birthDate: patient.birth_date_or_age');
    expect(issues(createSchema.safeParse({ ...valid, ageYears: Number('abc') }))).toContain(
      'ageYears: age.invalid',
    );
  });

  it('edits with the same rule: the stored age of a patient without a birth date is sent back', () => {
    const patient = {
      id: '8f0c6c1e-4f3b-4c59-9a55-3f0d7d1e2a10',
      firstName: 'Alisher',
      lastName: 'Shukurov',
      middleName: null,
      birthDate: null,
      ageYears: 34,
      ageIsApproximate: true,
      sex: 'male' as const,
      phone: null,
      archivedAt: null,
      createdAt: new Date(),
      address: null,
      allergies: null,
      chronicConditions: null,
      currentMedications: null,
      notes: null,
      updatedAt: new Date(),
    };
    const values = valuesOf(patient);
    expect(values.ageYears).toBe(34);
    expect(values.birthDate).toBeNull();
    expect(updateSchema.safeParse({ id: patient.id, ...values }).success).toBe(true);
    expect(
      issues(updateSchema.safeParse({ id: patient.id, ...values, ageYears: null, lastName: '' })),
    ).toContain('birthDate: patient.birth_date_or_age');
  });
});

describe('the list URL', () => {
  it('keeps what differs from the defaults and drops anything else', () => {
    expect(validatePatientListSearch({})).toEqual({});
    expect(
      validatePatientListSearch({ q: 'Шукуров', sort: 'name', archived: true, other: 1 }),
    ).toEqual({ q: 'Шукуров', sort: 'name', archived: true });
    expect(validatePatientListSearch({ q: '  ', sort: 'oldest', archived: 'no' })).toEqual({});
    expect(filtersOf({ q: 'Ali', archived: true })).toEqual({
      search: 'Ali',
      sort: 'recent',
      archived: true,
    });
  });
});

describe('attachment checks before sending', () => {
  const file = (name: string, size: number, type: string) => ({ name, size, type });

  it('refuses empty, too large and unknown files in the words of the server codes', () => {
    expect(checkAttachment(file('a.png', 0, 'image/png'))?.appCode).toBe('FILE_EMPTY');
    expect(checkAttachment(file('a.png', 10 * MB + 1, 'image/png'))?.appCode).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    expect(checkAttachment(file('a.zip', 100, 'application/zip'))?.appCode).toBe(
      'FILE_TYPE_NOT_ALLOWED',
    );
    expect(checkAttachment(file('run.exe', 100, ''))?.appCode).toBe('FILE_TYPE_NOT_ALLOWED');
  });

  it('lets through allowed files, and files the browser cannot type (the server decides)', () => {
    expect(checkAttachment(file('a.png', 10 * MB, 'image/png'))).toBeNull();
    expect(checkAttachment(file('IMG_0001.HEIC', 2 * MB, ''))).toBeNull();
    expect(checkAttachment(file('report.docx', 5000, 'application/octet-stream'))).toBeNull();
    expect(checkAttachment(file('scan', 5000, ''))).toBeNull();
  });
});

describe('reading the server’s file errors', () => {
  const body = (code: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ error: { code, requestId: 'r-1', ...extra } });

  it('keeps the app code of the answer and translates it', () => {
    for (const [status, code] of [
      [400, 'FILE_EMPTY'],
      [413, 'STORAGE_QUOTA_EXCEEDED'],
      [413, 'PAYLOAD_TOO_LARGE'],
      [415, 'FILE_TYPE_MISMATCH'],
      [415, 'FILE_TYPE_NOT_ALLOWED'],
      [404, 'NOT_FOUND'],
    ] as const) {
      const parsed = errorFromResponse(status, body(code));
      expect(parsed, code).toMatchObject({ kind: 'app', appCode: code, httpStatus: status });
      expect(errorMessage(i18next.t, parsed), code).toBe(t(`errors.app.${code}`));
    }
    expect(errorMessage(i18next.t, errorFromResponse(415, body('FILE_TYPE_MISMATCH')))).toContain(
      'does not match its type',
    );
  });

  it('keeps field errors and falls back on the status for a body that is not ours', () => {
    expect(
      errorFromResponse(
        400,
        body('VALIDATION_FAILED', { fieldErrors: { patientId: ['id.invalid'] } }),
      ).fieldErrors,
    ).toEqual({ patientId: ['id.invalid'] });
    expect(errorFromResponse(413, '<html>Request Entity Too Large</html>')).toMatchObject({
      appCode: 'PAYLOAD_TOO_LARGE',
    });
    expect(errorFromResponse(502, '<html>Bad gateway</html>')).toMatchObject({
      kind: 'server',
      httpStatus: 502,
    });
    expect(errorFromResponse(400, body('SOMETHING_NEW'))).toMatchObject({
      appCode: 'VALIDATION_FAILED',
    });
  });
});

/** A stand-in for XMLHttpRequest that answers each send with the next scripted answer. */
function fakeXhr(answers: { status: number; body: string; progress?: number[] }[]) {
  const sent: { headers: Record<string, string>; body: FormData }[] = [];
  class FakeXhr {
    status = 0;
    responseText = '';
    upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    ontimeout: (() => void) | null = null;
    onabort: (() => void) | null = null;
    private headers: Record<string, string> = {};
    open(method: string, url: string) {
      expect([method, url]).toEqual(['POST', '/api/files']);
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    }
    abort() {
      this.onabort?.();
    }
    send(body: FormData) {
      sent.push({ headers: this.headers, body });
      const answer = answers.shift();
      queueMicrotask(() => {
        if (!answer) {
          this.onerror?.();
          return;
        }
        for (const loaded of answer.progress ?? [])
          this.upload.onprogress?.({ lengthComputable: true, loaded, total: 100 } as ProgressEvent);
        this.status = answer.status;
        this.responseText = answer.body;
        this.onload?.();
      });
    }
  }
  return { create: () => new FakeXhr() as unknown as XMLHttpRequest, sent };
}

describe('the upload', () => {
  const stored = { id: 'f1', name: 'scan.png', mime: 'image/png', size: 3, sha256: 'ab' };
  const png = () => new File([new Uint8Array([1, 2, 3])], 'scan.png', { type: 'image/png' });
  const unauthorized = {
    status: 401,
    body: JSON.stringify({ error: { code: 'UNAUTHENTICATED' } }),
  };

  it('sends purpose, patient and file with the bearer token, reporting real progress', async () => {
    const xhr = fakeXhr([{ status: 201, body: JSON.stringify(stored), progress: [40, 100] }]);
    const client = createFileClient(
      { getAccessToken: () => 'token-1', refresh: () => Promise.reject(new Error('no')) },
      xhr.create,
    );
    const progress: number[] = [];
    const out = await client.upload({
      file: png(),
      patientId: 'p1',
      onProgress: (f) => progress.push(f),
    });
    expect(out).toEqual(stored);
    expect(progress).toEqual([0, 0.4, 1]);
    expect(xhr.sent).toHaveLength(1);
    expect(xhr.sent[0]!.headers.authorization).toBe('Bearer token-1');
    const form = xhr.sent[0]!.body;
    expect([...form.keys()]).toEqual(['purpose', 'patientId', 'file']);
    expect(form.get('purpose')).toBe('attachment');
    expect(form.get('patientId')).toBe('p1');
    expect((form.get('file') as File).name).toBe('scan.png');
  });

  it('refreshes once on a 401 and sends again with the new token', async () => {
    const xhr = fakeXhr([unauthorized, { status: 201, body: JSON.stringify(stored) }]);
    let token = 'old';
    let refreshes = 0;
    const client = createFileClient(
      {
        getAccessToken: () => token,
        refresh: () => {
          refreshes += 1;
          token = 'new';
          return Promise.resolve('new');
        },
      },
      xhr.create,
    );
    await expect(client.upload({ file: png(), patientId: 'p1' })).resolves.toEqual(stored);
    expect(refreshes).toBe(1);
    expect(xhr.sent.map((s) => s.headers.authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('gives up after one refresh, and when the session is gone', async () => {
    const twice = fakeXhr([unauthorized, unauthorized, { status: 201, body: '{}' }]);
    let refreshes = 0;
    const client = createFileClient(
      {
        getAccessToken: () => 'old',
        refresh: () => {
          refreshes += 1;
          return Promise.resolve(`new-${refreshes}`);
        },
      },
      twice.create,
    );
    const error = await client.upload({ file: png(), patientId: 'p1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileRequestError);
    expect((error as FileRequestError).parsed.appCode).toBe('UNAUTHENTICATED');
    expect(refreshes).toBe(1);
    expect(twice.sent).toHaveLength(2);

    const gone = fakeXhr([unauthorized]);
    const signedOut = createFileClient(
      { getAccessToken: () => 'old', refresh: () => Promise.resolve(null) },
      gone.create,
    );
    await expect(signedOut.upload({ file: png(), patientId: 'p1' })).rejects.toMatchObject({
      parsed: { appCode: 'UNAUTHENTICATED' },
    });
    expect(gone.sent).toHaveLength(1);
  });

  it('maps the server’s refusal, and refuses a too large file without sending it', async () => {
    const xhr = fakeXhr([
      {
        status: 415,
        body: JSON.stringify({ error: { code: 'FILE_TYPE_MISMATCH', requestId: 'x' } }),
      },
    ]);
    const client = createFileClient(
      { getAccessToken: () => 't', refresh: () => Promise.resolve(null) },
      xhr.create,
    );
    await expect(client.upload({ file: png(), patientId: 'p1' })).rejects.toMatchObject({
      parsed: { kind: 'app', appCode: 'FILE_TYPE_MISMATCH', httpStatus: 415 },
    });
    const big = new File([new Uint8Array(10 * MB + 1)], 'big.png', { type: 'image/png' });
    await expect(client.upload({ file: big, patientId: 'p1' })).rejects.toMatchObject({
      parsed: { appCode: 'PAYLOAD_TOO_LARGE' },
    });
    expect(xhr.sent).toHaveLength(1);
  });

  it('says "network" when the request never got an answer', async () => {
    const xhr = fakeXhr([]);
    const client = createFileClient(
      { getAccessToken: () => 't', refresh: () => Promise.resolve(null) },
      xhr.create,
    );
    await expect(client.upload({ file: png(), patientId: 'p1' })).rejects.toMatchObject({
      parsed: { kind: 'network' },
    });
  });
});

describe('the download', () => {
  it('fetches with the bearer token, refreshes once on a 401, and types the bytes', async () => {
    const calls: (string | undefined)[] = [];
    let token = 'old';
    const fetchImpl = (_url: RequestInfo | URL, init?: RequestInit) => {
      const auth = (init?.headers as Record<string, string>).Authorization;
      calls.push(auth);
      return Promise.resolve(
        auth === 'Bearer new'
          ? new Response(new Uint8Array([1, 2, 3]), { status: 200 })
          : new Response(JSON.stringify({ error: { code: 'UNAUTHENTICATED' } }), { status: 401 }),
      );
    };
    const client = createFileClient(
      {
        getAccessToken: () => token,
        refresh: () => {
          token = 'new';
          return Promise.resolve('new');
        },
      },
      undefined,
      fetchImpl,
    );
    const blob = await client.download('f1', 'image/png');
    expect(blob.type).toBe('image/png');
    expect(blob.size).toBe(3);
    expect(calls).toEqual(['Bearer old', 'Bearer new']);
  });

  it('maps a missing file to NOT_FOUND', async () => {
    const client = createFileClient(
      { getAccessToken: () => 't', refresh: () => Promise.resolve(null) },
      undefined,
      () =>
        Promise.resolve(
          new Response(JSON.stringify({ error: { code: 'NOT_FOUND', requestId: 'r' } }), {
            status: 404,
          }),
        ),
    );
    await expect(client.download('f1', 'image/png')).rejects.toMatchObject({
      parsed: { appCode: 'NOT_FOUND', httpStatus: 404 },
    });
  });
});
