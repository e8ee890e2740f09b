import type { Cache } from '../cache/index';
import type { EskizConfig } from '../config';

export interface SmsSender {
  /** `phone` in E.164 (`+998901234567`). */
  send(phone: string, text: string): Promise<void>;
}

export class EskizError extends Error {
  override readonly name = 'EskizError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/** Eskiz tokens live 30 days; kept a little less so a cached one is never the stale one. */
const TOKEN_TTL_SECONDS = 29 * 24 * 3600;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * SMS through Eskiz.uz (notify.eskiz.uz/api): `POST /auth/login` (form fields email, password)
 * answers `{data: {token}}`; `POST /message/sms/send` with the bearer token and form fields
 * mobile_phone (digits, no +), message and from. The token is kept in the cache (Redis when
 * configured, so every worker shares one); a 401 means it expired: sign in again once and
 * retry the send once.
 */
export class EskizSmsSender implements SmsSender {
  private readonly tokenKey: string;

  constructor(
    private readonly config: EskizConfig,
    private readonly cache: Cache,
  ) {
    this.tokenKey = `eskiz:token:${config.email}`;
  }

  async send(phone: string, text: string): Promise<void> {
    let token = (await this.cache.getJson<string>(this.tokenKey)) ?? (await this.login());
    let res = await this.post('/message/sms/send', this.smsForm(phone, text), token);
    if (res.status === 401) {
      token = await this.login();
      res = await this.post('/message/sms/send', this.smsForm(phone, text), token);
    }
    if (!res.ok) {
      // The body may echo the phone number or the message: only the status is kept.
      await res.body?.cancel().catch(() => undefined);
      throw new EskizError(`Eskiz send failed: HTTP ${res.status}`, res.status);
    }
  }

  private smsForm(phone: string, text: string): FormData {
    const form = new FormData();
    form.set('mobile_phone', phone.replace(/\D/g, ''));
    form.set('message', text);
    form.set('from', this.config.from);
    return form;
  }

  private async login(): Promise<string> {
    const form = new FormData();
    form.set('email', this.config.email);
    form.set('password', this.config.password);
    const res = await this.post('/auth/login', form);
    if (!res.ok) {
      // The body may echo the account; only the status goes into the error.
      throw new EskizError(`Eskiz login failed: HTTP ${res.status}`, res.status);
    }
    const body = (await res.json().catch(() => null)) as { data?: { token?: unknown } } | null;
    const token = body?.data?.token;
    if (typeof token !== 'string' || token === '') {
      throw new EskizError('Eskiz login answered without a token', res.status);
    }
    await this.cache.setJson(this.tokenKey, token, TOKEN_TTL_SECONDS);
    return token;
  }

  private post(path: string, form: FormData, token?: string): Promise<Response> {
    return fetch(`${this.config.baseUrl}${path}`, {
      method: 'POST',
      body: form,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  }
}
