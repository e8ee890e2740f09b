import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  randomInt,
} from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 defaults every authenticator app understands: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_ISSUER = 'MedoraAI';
/** RFC 4226 §4: a shared secret of at least 128 bits, i.e. 26 base32 characters. */
export const MIN_SECRET_BASE32_LENGTH = 26;
export const RECOVERY_CODE_COUNT = 10;

const BASE32 = /^[A-Z2-7]+$/;

/** A base32 secret as typed by an operator: spaces and padding dropped, upper case. */
export function normalizeBase32(secret: string): string {
  return secret.replace(/[\s=]/g, '').toUpperCase();
}

export function isValidBase32Secret(secret: string): boolean {
  const s = normalizeBase32(secret);
  return BASE32.test(s) && s.length >= MIN_SECRET_BASE32_LENGTH;
}

/** 160 random bits (the RFC 4226 recommendation), base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/**
 * The time step a code matches — the current one or the one before (a code typed just as it
 * rolled over) — provided it is later than `lastStep`, the step accepted last time. Null when it
 * does not match: a used code, or an older one, is refused even within its window.
 */
export async function matchTotp(
  secret: string,
  code: string,
  lastStep: number | null,
  now: Date = new Date(),
): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: [TOTP_PERIOD_SECONDS, 0],
    ...(lastStep !== null && { afterTimeStep: lastStep }),
  });
  // The union also covers HOTP's result; a TOTP match always names its step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

export function otpauthUri(secret: string, label: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label, secret });
}

/** The otpauth URI as an SVG QR code, for the enrolment page to show inline. */
export async function qrSvg(uri: string): Promise<string> {
  // Loaded on first use: only a doctor turning on two-step sign-in needs it, and it is ~60
  // modules every process would otherwise keep in memory.
  const { default: QRCode } = await import('qrcode');
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/**
 * TOTP secrets are stored encrypted (AES-256-GCM) with a key derived from TOKEN_SECRET by HKDF:
 * a database dump alone does not let anyone compute an admin's codes. The user id is the
 * additional data, so a ciphertext copied onto another row does not decrypt.
 */
export class TotpVault {
  private readonly key: Buffer;
  private readonly recoveryKey: Buffer;

  constructor(tokenSecret: Uint8Array) {
    this.key = Buffer.from(hkdfSync('sha256', tokenSecret, '', 'medora totp secret v1', 32));
    this.recoveryKey = Buffer.from(
      hkdfSync('sha256', tokenSecret, '', 'medora recovery code v1', 32),
    );
  }

  seal(userId: string, secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(userId));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** Null when the value was not sealed for this user with this key (e.g. a rotated secret). */
  open(userId: string, sealed: string): string | null {
    if (!sealed.startsWith('v1.')) return null;
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    if (raw.length < 29) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(userId));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  /**
   * Recovery codes carry 50 random bits each, so a fast keyed hash suffices: without the key a
   * leaked table cannot be searched offline, and online guessing is throttled.
   */
  hashRecoveryCode(userId: string, code: string): string {
    return createHmac('sha256', this.recoveryKey)
      .update(`${userId}:${normalizeRecoveryCode(code)}`)
      .digest('base64url');
  }
}

// Crockford-like alphabet without look-alikes (no 0/o, 1/l/i).
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten codes of ten characters (about 49 bits each), shown as `xxxxx-xxxxx`. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from(
      { length: 10 },
      () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)],
    );
    return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
  });
}

export function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{10}$/.test(normalizeRecoveryCode(code));
}
