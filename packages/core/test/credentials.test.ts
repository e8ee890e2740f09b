import { loginInput } from '@medora/schema';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as passwords from '../src/auth/passwords';
import { dummyHash, verifyPassword } from '../src/auth/passwords';
import { AppError } from '../src/errors';
import { freshIp, freshPhone, testPasswordHash } from '../src/testing';
import { coreServices, type CoreHarness } from './services';

// The real argon2 functions, observed: which hash each sign-in verifies against.
vi.mock('../src/auth/passwords', async (importOriginal) => {
  const real = await importOriginal<typeof passwords>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});
const verified = vi.mocked(verifyPassword);

let h: CoreHarness;
beforeAll(async () => {
  h = await coreServices();
});
afterAll(() => h.close());
beforeEach(() => verified.mockClear());

const meta = () => ({ ip: freshIp(), userAgent: 'vitest', requestId: null });
const login = (phone: string, password: string) =>
  h.services.credentials.login(meta(), loginInput.parse({ phone, password }));

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

describe('sign-in costs one argon2 verification whether or not the phone exists', () => {
  it('verifies an unknown phone against the dummy argon2id hash', async () => {
    const err = await refusal(login(freshPhone(), 'Some-guess-2026'));
    expect(err.code).toBe('INVALID_CREDENTIALS');
    // Exactly one verification, against a real argon2id hash, not a shortcut for "no such user".
    expect(verified).toHaveBeenCalledTimes(1);
    expect(verified).toHaveBeenCalledWith(await dummyHash(), 'Some-guess-2026');
    expect(await dummyHash()).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('verifies a known phone against its own hash, once', async () => {
    const doctor = await h.make.doctor();
    const err = await refusal(login(doctor.phone, 'Wrong-guess-2026'));
    expect(err.code).toBe('INVALID_CREDENTIALS');
    expect(verified).toHaveBeenCalledTimes(1);
    expect(verified).toHaveBeenCalledWith(await testPasswordHash(), 'Wrong-guess-2026');
    expect(await testPasswordHash()).not.toBe(await dummyHash());
  });

  it('verifies a deactivated account too, and refuses it with the same answer', async () => {
    const doctor = await h.make.deactivated();
    const err = await refusal(login(doctor.phone, doctor.password));
    expect(err.code).toBe('INVALID_CREDENTIALS');
    expect(verified).toHaveBeenCalledTimes(1);
  });
});
