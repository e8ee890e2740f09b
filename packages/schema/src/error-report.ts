/**
 * What an error report (Sentry event or breadcrumb) may carry out of the app, shared by the
 * server, the worker and the browser. Personal and clinical data are kept out in two ways: the
 * places they live (request bodies, query strings, cookies, headers, the user, keys named like
 * them) are dropped whole, and every string left is masked for what a pattern can recognise
 * (phone numbers, e-mail addresses, tokens, long secrets). A name or a complaint in free text
 * cannot be recognised, so nothing may put one in a message: reports carry codes and ids.
 *
 * Typed structurally, so this package needs no Sentry dependency.
 */

export const REPORT_PLACEHOLDERS = {
  email: '[email]',
  phone: '[phone]',
  token: '[token]',
  secret: '[secret]',
  filtered: '[filtered]',
} as const;

export const EMAIL_PATTERN = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// Seven or more digits, optionally after a +, with spaces, dashes or brackets between them:
// +998 90 123-45-67, (90) 1234567, 998901234567. Line breaks end a run.
export const PHONE_PATTERN = /\+?(?:\(\s*)?\d(?:[ \t\-‐-―()]*\d){6,}/gu;
const JWT = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;
const SCHEME_CREDENTIALS = /\b(Bearer|Basic|Token)\s+[\w.~+/=-]{8,}/gi;
// Hex and base64 runs long enough to be keys, refresh tokens or signatures. Requiring a digit
// and a letter spares long ordinary words and identifiers.
const LONG_SECRET = /(?<![\w/+-])(?=[\w+/-]*\d)(?=[\w+/-]*[A-Za-z])[\w+/-]{32,}={0,2}/g;
const URL_QUERY = /(\bhttps?:\/\/[^\s?#"']*|(?<![\w])\/[^\s?#"']*)[?#][^\s"']*/g;

// Request ids, row ids and event ids are opaque and what a report is followed by: kept whole,
// though their digit runs and length would otherwise pass for a phone or a secret.
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/** A string with phone numbers, e-mail addresses, tokens, secrets and URL queries masked. */
export function scrubText(text: string): string {
  const ids = text.match(UUID) ?? [];
  return text
    .split(UUID)
    .map((part, i) => maskText(part) + (ids[i] ?? ''))
    .join('');
}

function maskText(text: string): string {
  return text
    .replace(URL_QUERY, '$1')
    .replace(JWT, REPORT_PLACEHOLDERS.token)
    .replace(SCHEME_CREDENTIALS, `$1 ${REPORT_PLACEHOLDERS.token}`)
    .replace(LONG_SECRET, REPORT_PLACEHOLDERS.secret)
    .replace(EMAIL_PATTERN, REPORT_PLACEHOLDERS.email)
    .replace(PHONE_PATTERN, REPORT_PLACEHOLDERS.phone);
}

/**
 * Words that make a key's value unfit to leave: secrets, and the personal and clinical fields of
 * the domain. A key is split into words (camelCase, snake_case, kebab-case) and dropped when any
 * word is listed, so `firstName`, `patient_phone` and `x-auth-token` all go.
 */
const DENIED_WORDS = new Set([
  'password',
  'passwd',
  'secret',
  'token',
  'tokens',
  'jwt',
  'authorization',
  'auth',
  'cookie',
  'cookies',
  'session',
  'otp',
  'totp',
  'key',
  'apikey',
  'credentials',
  'phone',
  'phones',
  'tel',
  'mobile',
  'name',
  'names',
  'firstname',
  'lastname',
  'middlename',
  'fullname',
  'complaint',
  'complaints',
  'history',
  'lab',
  'labs',
  'value',
  'values',
  'note',
  'notes',
  'allergy',
  'allergies',
  'medication',
  'medications',
  'diagnosis',
  'vitals',
  'email',
  'mail',
  'address',
  'birth',
  'birthdate',
  'dob',
  'body',
  'data',
  'input',
  'payload',
  'query',
  'params',
  'ip',
]);

function keyWords(key: string): string[] {
  return key
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z\d]+/)
    .filter(Boolean);
}

/** Whether a key names a secret or personal/clinical data (its value is dropped). */
export function isSensitiveKey(key: string): boolean {
  const words = keyWords(key);
  return words.some((w) => DENIED_WORDS.has(w)) || DENIED_WORDS.has(words.join(''));
}

const MAX_DEPTH = 8;

/** A value with sensitive keys dropped and every string masked, to a bounded depth. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return REPORT_PLACEHOLDERS.filtered;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!isSensitiveKey(k)) out[k] = scrubValue(v, depth + 1);
  }
  return out;
}

/** The headers a report keeps: what says which client failed, nothing that identifies anyone. */
export const SAFE_REPORT_HEADERS = [
  'user-agent',
  'content-type',
  'content-length',
  'accept',
  'x-request-id',
] as const;
const SAFE_HEADERS = new Set<string>(SAFE_REPORT_HEADERS);

/**
 * The Sentry SDKs' `dataCollection` option (v11) for both runtimes: nothing collected on their
 * own but the safe headers. The scrubber still runs on every event, whatever an SDK collected.
 */
export const SDK_DATA_COLLECTION = {
  userInfo: false,
  cookies: false,
  httpHeaders: { request: { allow: [...SAFE_REPORT_HEADERS] }, response: false },
  httpBodies: [],
  urlQueryParams: false,
  graphQL: { document: false, variables: false },
  genAI: { inputs: false, outputs: false },
};

/** Contexts the SDKs fill in about the runtime: their keys (`name`, `version`) are not personal. */
const SDK_CONTEXTS = new Set([
  'app',
  'browser',
  'cloud_resource',
  'culture',
  'device',
  'os',
  'runtime',
  'trace',
  'response',
]);

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A URL without its query string and fragment (which may carry tRPC inputs, search terms). */
export function stripQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return scrubText(cut === -1 ? url : url.slice(0, cut));
}

function scrubRequest(request: Dict): Dict {
  const out: Dict = {};
  if (typeof request.method === 'string') out.method = request.method;
  if (typeof request.url === 'string') out.url = stripQuery(request.url);
  if (isDict(request.headers)) {
    const headers: Dict = {};
    for (const [k, v] of Object.entries(request.headers)) {
      if (SAFE_HEADERS.has(k.toLowerCase()) && typeof v === 'string') headers[k] = scrubText(v);
    }
    out.headers = headers;
  }
  // Body (`data`), cookies, query string, env and anything else: never sent.
  return out;
}

function scrubFrames(stacktrace: unknown): unknown {
  if (!isDict(stacktrace) || !Array.isArray(stacktrace.frames)) return stacktrace;
  return {
    ...stacktrace,
    frames: stacktrace.frames.map((frame: unknown) => {
      if (!isDict(frame)) return frame;
      const { vars: _vars, ...rest } = frame;
      const lines = (l: unknown): unknown =>
        Array.isArray(l)
          ? (l as unknown[]).map((s) => (typeof s === 'string' ? scrubText(s) : s))
          : l;
      return {
        ...rest,
        ...(typeof rest.context_line === 'string' && {
          context_line: scrubText(rest.context_line),
        }),
        ...(rest.pre_context !== undefined && { pre_context: lines(rest.pre_context) }),
        ...(rest.post_context !== undefined && { post_context: lines(rest.post_context) }),
        // Local variables may hold anything a handler had in hand: never sent.
      };
    }),
  };
}

/** A breadcrumb fit to leave, or null to drop it (console lines may quote anything). */
export function scrubBreadcrumb<B extends object>(breadcrumb: B): B | null {
  const crumb = breadcrumb as Dict;
  if (crumb.category === 'console') return null;
  const out: Dict = { ...crumb };
  if (typeof crumb.message === 'string') out.message = scrubText(crumb.message);
  if (isDict(crumb.data)) {
    const data: Dict = {};
    for (const [k, v] of Object.entries(crumb.data)) {
      if (k === 'url' && typeof v === 'string') data.url = stripQuery(v);
      else if (k === 'from' || k === 'to') data[k] = typeof v === 'string' ? stripQuery(v) : v;
      else if (!isSensitiveKey(k)) data[k] = scrubValue(v);
    }
    out.data = data;
  }
  return out as B;
}

/**
 * An event fit to leave: request reduced to method, path and safe headers; user to an opaque
 * id; tags, extra and contexts without sensitive keys; every message, exception value and
 * breadcrumb masked; local variables dropped.
 */
export function scrubEvent<E extends object>(event: E): E {
  const e = { ...(event as Dict) };
  if (isDict(e.request)) e.request = scrubRequest(e.request);
  if (isDict(e.user)) {
    const id = e.user.id;
    e.user = typeof id === 'string' || typeof id === 'number' ? { id } : undefined;
    if (e.user === undefined) delete e.user;
  }
  if (typeof e.message === 'string') e.message = scrubText(e.message);
  if (isDict(e.logentry)) {
    e.logentry = {
      ...(typeof e.logentry.message === 'string' && {
        message: scrubText(e.logentry.message),
      }),
    };
  }
  if (typeof e.transaction === 'string') e.transaction = stripQuery(e.transaction);
  if (isDict(e.tags)) e.tags = scrubValue(e.tags);
  if (isDict(e.extra)) e.extra = scrubValue(e.extra);
  if (isDict(e.contexts)) {
    const contexts: Dict = {};
    for (const [k, v] of Object.entries(e.contexts)) {
      if (SDK_CONTEXTS.has(k)) contexts[k] = isDict(v) ? scrubSdkContext(v) : v;
      else if (!isSensitiveKey(k)) contexts[k] = scrubValue(v);
    }
    e.contexts = contexts;
  }
  if (isDict(e.exception) && Array.isArray(e.exception.values)) {
    e.exception = {
      ...e.exception,
      values: e.exception.values.map((ex: unknown) => {
        if (!isDict(ex)) return ex;
        const out: Dict = { ...ex };
        if (typeof ex.value === 'string') out.value = scrubText(ex.value);
        if (ex.stacktrace !== undefined) out.stacktrace = scrubFrames(ex.stacktrace);
        // The SDKs copy an error's own fields here (pg's `detail` names the row's values).
        if (isDict(ex.mechanism) && isDict(ex.mechanism.data))
          out.mechanism = { ...ex.mechanism, data: scrubValue(ex.mechanism.data) };
        return out;
      }),
    };
  }
  if (Array.isArray(e.breadcrumbs)) {
    e.breadcrumbs = e.breadcrumbs
      .map((b: unknown) => (isDict(b) ? scrubBreadcrumb(b) : null))
      .filter((b): b is Dict => b !== null);
  }
  return e as E;
}

/**
 * SDK contexts are the SDK's own readings (runtime, OS, trace ids, start times): kept as they
 * are, but a URL in one loses its query.
 */
function scrubSdkContext(context: Dict): Dict {
  const out: Dict = { ...context };
  if (typeof context.url === 'string') out.url = stripQuery(context.url);
  return out;
}

/**
 * `GET /api/client-config`: where the web app reports its errors, or nulls when it reports
 * nothing (SENTRY_WEB_DSN unset).
 */
export type ClientConfig =
  | { sentryDsn: string; environment: string; release: string }
  | { sentryDsn: null; environment: null; release: null };
