import { describe, expect, it } from 'vitest';
import { MB as MiB } from '@medora/schema';
import { fromPlan, GB, mapPlanError, planFormSchema, toApi } from '../src/features/admin/plan-form';
import { validatePaymentSearch } from '../src/features/admin/queries';
import { checkAttachment, createFileClient } from '../src/features/patients/upload';
import { formatUzs } from '../src/lib/format';
import { filePolicies } from '@medora/schema';

/** An XMLHttpRequest stand-in that records what is sent and answers 201. */
function recordingXhr(body: unknown) {
  const sent: FormData[] = [];
  class Xhr {
    status = 0;
    responseText = '';
    upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    ontimeout: (() => void) | null = null;
    onabort: (() => void) | null = null;
    open() {}
    setRequestHeader() {}
    abort() {}
    send(form: FormData) {
      sent.push(form);
      queueMicrotask(() => {
        this.status = 201;
        this.responseText = JSON.stringify(body);
        this.onload?.();
      });
    }
  }
  return { create: () => new Xhr() as unknown as XMLHttpRequest, sent };
}

const session = { getAccessToken: () => 'admin-token', refresh: () => Promise.resolve(null) };

describe('the receipt upload', () => {
  it('sends purpose receipt and no patient', async () => {
    const xhr = recordingXhr({ id: 'r1' });
    const client = createFileClient(session, xhr.create);
    const file = new File([new Uint8Array([1, 2, 3])], 'chek.png', { type: 'image/png' });
    await client.upload({ file, purpose: 'receipt' });
    expect(xhr.sent).toHaveLength(1);
    const form = xhr.sent[0]!;
    expect([...form.keys()]).toEqual(['purpose', 'file']);
    expect(form.get('purpose')).toBe('receipt');
  });

  it('refuses, before sending, what the receipt policy refuses (5 MB; JPEG, PNG, PDF)', async () => {
    const policy = filePolicies.receipt;
    const f = (name: string, size: number, type: string) => ({ name, size, type });
    expect(checkAttachment(f('chek.png', 5 * MiB, 'image/png'), policy)).toBeNull();
    expect(checkAttachment(f('chek.pdf', 1000, 'application/pdf'), policy)).toBeNull();
    expect(checkAttachment(f('chek.png', 5 * MiB + 1, 'image/png'), policy)?.appCode).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    // Attachments may be GIF or Word; receipts may not.
    expect(checkAttachment(f('chek.gif', 1000, 'image/gif'), policy)?.appCode).toBe(
      'FILE_TYPE_NOT_ALLOWED',
    );
    expect(checkAttachment(f('chek.docx', 1000, ''), policy)?.appCode).toBe(
      'FILE_TYPE_NOT_ALLOWED',
    );
    expect(checkAttachment(f('chek.gif', 1000, 'image/gif'))).toBeNull();

    const xhr = recordingXhr({ id: 'r1' });
    const client = createFileClient(session, xhr.create);
    const gif = new File([new Uint8Array([1])], 'chek.gif', { type: 'image/gif' });
    await expect(client.upload({ file: gif, purpose: 'receipt' })).rejects.toMatchObject({
      parsed: { appCode: 'FILE_TYPE_NOT_ALLOWED' },
    });
    expect(xhr.sent).toHaveLength(0);
  });
});

describe('the admin receipt download', () => {
  it('fetches the path the server gave with the bearer token', async () => {
    const calls: { url: string; auth: string | undefined }[] = [];
    const client = createFileClient(session, undefined, (url, init) => {
      calls.push({
        url: url as string,
        auth: (init?.headers as Record<string, string>).Authorization,
      });
      return Promise.resolve(new Response(new Uint8Array([1, 2]), { status: 200 }));
    });
    const blob = await client.downloadFrom('/api/admin/payments/p1/receipt', 'image/png');
    expect(blob.type).toBe('image/png');
    expect(calls).toEqual([{ url: '/api/admin/payments/p1/receipt', auth: 'Bearer admin-token' }]);
  });

  it('never sends the token to another origin', async () => {
    let fetched = 0;
    const client = createFileClient(session, undefined, () => {
      fetched += 1;
      return Promise.resolve(new Response('', { status: 200 }));
    });
    for (const url of ['https://example.com/r', '//example.com/r', 'javascript:alert(1)'])
      await expect(client.downloadFrom(url, 'image/png')).rejects.toThrow();
    expect(fetched).toBe(0);
  });
});

describe('money and plan values', () => {
  it('formats tiyin as soʻm in each interface language', () => {
    // Intl separates with no-break spaces; compared with plain ones.
    const plain = (s: string) => s.replace(/\s/gu, ' ');
    expect(plain(formatUzs(9_900_000, 'en'))).toBe('UZS 99,000');
    expect(plain(formatUzs(9_900_000, 'ru'))).toBe('99 000 сум');
    expect(plain(formatUzs(9_900_000, 'uz'))).toBe('99 000 soʻm');
    expect(plain(formatUzs(0, 'en'))).toBe('UZS 0');
    // Tiyin only when there are any, with the language's decimal mark.
    expect(plain(formatUzs(9_900_050, 'uz'))).toBe('99 000,50 soʻm');
    expect(plain(formatUzs(9_900_050, 'en'))).toBe('UZS 99,000.50');
  });

  const base = {
    code: 'clinic_plus',
    names: { uz: 'Klinika+', ru: 'Клиника+', en: 'Clinic+' },
    priceSum: 150_000.5,
    durationDays: 30,
    unlimited: false,
    limit: 500,
    storageAmount: 2.5,
    storageUnit: 'GB' as const,
    sortOrder: 5,
  };

  it('converts what the admin types into tiyin, bytes and null for unlimited', () => {
    const values = planFormSchema.parse(base);
    expect(toApi(values)).toEqual({
      names: base.names,
      priceTiyin: 15_000_050,
      durationDays: 30,
      maxAnalysesPerMonth: 500,
      storageQuotaBytes: 2.5 * GB,
      sortOrder: 5,
    });
    expect(
      toApi(planFormSchema.parse({ ...base, unlimited: true, limit: Number.NaN })),
    ).toMatchObject({ maxAnalysesPerMonth: null });
    expect(
      toApi(planFormSchema.parse({ ...base, storageAmount: 500, storageUnit: 'MB' })),
    ).toMatchObject({ storageQuotaBytes: 500 * 1024 ** 2 });
  });

  it('reads a plan back in the same units', () => {
    const plan = {
      id: '00000000-0000-4000-8000-000000000001',
      code: 'clinic_plus',
      names: base.names,
      priceTiyin: 15_000_050,
      durationDays: 30,
      maxAnalysesPerMonth: null,
      storageQuotaBytes: 2.5 * GB,
      isTrial: false,
      active: true,
      sortOrder: 5,
    };
    expect(fromPlan(plan)).toMatchObject({
      priceSum: 150_000.5,
      unlimited: true,
      storageAmount: 2.5,
      storageUnit: 'GB',
    });
    expect(fromPlan({ ...plan, storageQuotaBytes: 300 * 1024 ** 2 })).toMatchObject({
      storageAmount: 300,
      storageUnit: 'MB',
    });
  });

  it('requires a limit unless unlimited, and refuses fractions of a tiyin', () => {
    const limitless = planFormSchema.safeParse({ ...base, limit: Number.NaN });
    expect(limitless.success).toBe(false);
    expect(limitless.error?.issues[0]).toMatchObject({ path: ['limit'], message: 'required' });
    const fraction = planFormSchema.safeParse({ ...base, priceSum: 1.005 });
    expect(fraction.error?.issues[0]).toMatchObject({ path: ['priceSum'], message: 'invalid' });
  });

  it('puts the server’s field errors on the fields the admin typed', () => {
    const mapped = mapPlanError({
      kind: 'app',
      appCode: 'VALIDATION_FAILED',
      httpStatus: 400,
      fieldErrors: { priceTiyin: ['invalid'], storageQuotaBytes: ['invalid'], code: ['required'] },
      retryAfterSeconds: null,
      attemptsRemaining: null,
    });
    expect(mapped.fieldErrors).toEqual({
      priceSum: ['invalid'],
      storageAmount: ['invalid'],
      code: ['required'],
    });
  });

  it('keeps only known payment filters in the queue’s URL', () => {
    expect(validatePaymentSearch({ status: 'approved' })).toEqual({ status: 'approved' });
    expect(validatePaymentSearch({ status: 'all' })).toEqual({ status: 'all' });
    expect(validatePaymentSearch({ status: 'deleted' })).toEqual({});
    expect(validatePaymentSearch({})).toEqual({});
  });
});
