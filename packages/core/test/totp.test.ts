import { describe, expect, it } from 'vitest';
import { matchTotp } from '../src/auth/totp';
import { totpCode } from '../src/testing';

describe('matching a code', () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const now = new Date('2026-12-02T10:00:15Z');
  const step = Math.floor(now.getTime() / 30_000);
  const at = (s: number) => new Date(s * 30_000 + 5_000);

  it('accepts the current and the previous step, nothing older and nothing ahead', async () => {
    expect(await matchTotp(secret, totpCode(secret, at(step)), null, now)).toBe(step);
    expect(await matchTotp(secret, totpCode(secret, at(step - 1)), null, now)).toBe(step - 1);
    expect(await matchTotp(secret, totpCode(secret, at(step - 2)), null, now)).toBeNull();
    expect(await matchTotp(secret, totpCode(secret, at(step + 1)), null, now)).toBeNull();
    expect(await matchTotp(secret, 'abcdef', null, now)).toBeNull();
  });

  it('refuses the step accepted last time and any before it', async () => {
    expect(await matchTotp(secret, totpCode(secret, at(step)), step, now)).toBeNull();
    expect(await matchTotp(secret, totpCode(secret, at(step - 1)), step - 1, now)).toBeNull();
    expect(await matchTotp(secret, totpCode(secret, at(step)), step - 1, now)).toBe(step);
  });
});
