/**
 * Attachments over plain HTTP (`/api/files`): the upload through XMLHttpRequest, whose upload
 * progress events drive a real progress bar (fetch has none), and the download of the bytes
 * with the bearer token. Both use the access token the tRPC client uses and, on a 401, ask for
 * one refresh and try once more. Errors come back as the same `ParsedError` the forms and
 * toasts already translate (`errors.app.<CODE>`).
 *
 * Nothing here is ever written to browser storage: the bytes live in memory (a Blob) only for
 * as long as a preview or a download needs them.
 */
import { appErrorCodes, filePolicies, type AppErrorCode, type FileOutput } from '@medora/schema';
import type { ParsedError } from '../../lib/errors';

export const ATTACHMENT_POLICY = filePolicies.attachment;

const APP_CODES = new Set<string>(appErrorCodes);

/** An upload or download that did not succeed, in words the app already has. */
export class FileRequestError extends Error {
  override readonly name = 'FileRequestError';
  constructor(readonly parsed: ParsedError) {
    super(parsed.appCode ?? parsed.kind);
  }
}

function parsedError(
  kind: ParsedError['kind'],
  appCode: AppErrorCode | null = null,
  httpStatus: number | null = null,
  fieldErrors: ParsedError['fieldErrors'] = {},
): ParsedError {
  return {
    kind,
    appCode,
    httpStatus,
    fieldErrors,
    retryAfterSeconds: null,
    attemptsRemaining: null,
  };
}

function fallbackCode(status: number): AppErrorCode | null {
  switch (status) {
    case 400:
      return 'VALIDATION_FAILED';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'FILE_TYPE_NOT_ALLOWED';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'SERVICE_UNAVAILABLE';
  }
  return status >= 500 ? 'INTERNAL' : null;
}

/**
 * Reads the server's error body `{ error: { code, requestId, fieldErrors? } }`; a body that is
 * not that (a proxy's HTML page) falls back on the status.
 */
export function errorFromResponse(status: number, body: string): ParsedError {
  let code: unknown;
  let fieldErrors: ParsedError['fieldErrors'] = {};
  try {
    const json = JSON.parse(body) as { error?: { code?: unknown; fieldErrors?: unknown } };
    code = json.error?.code;
    const fe = json.error?.fieldErrors;
    if (fe && typeof fe === 'object') fieldErrors = fe as ParsedError['fieldErrors'];
  } catch {
    code = undefined;
  }
  const appCode =
    typeof code === 'string' && APP_CODES.has(code) ? (code as AppErrorCode) : fallbackCode(status);
  const kind = appCode === null || (status >= 500 && typeof code !== 'string') ? 'server' : 'app';
  return parsedError(kind, appCode, status, fieldErrors);
}

function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

const EXTENSIONS: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heic',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Refuses early what the server would refuse anyway, before a byte is sent: an empty file, one
 * over the size cap, or one whose type and extension are both outside the allowed list. (The
 * server decides by content; a browser that does not know the type, e.g. HEIC, is let through.)
 */
export function checkAttachment(
  file: Pick<File, 'name' | 'size' | 'type'>,
  policy: { maxBytes: number; mimes: readonly string[] } = ATTACHMENT_POLICY,
): ParsedError | null {
  if (file.size === 0) return parsedError('app', 'FILE_EMPTY');
  if (file.size > policy.maxBytes) return parsedError('app', 'PAYLOAD_TOO_LARGE', 413);
  const allowed = policy.mimes;
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  const byExtension = extension ? EXTENSIONS[extension] : undefined;
  const typeKnown = file.type !== '' && file.type !== 'application/octet-stream';
  if (typeKnown && !allowed.includes(file.type) && !(byExtension && allowed.includes(byExtension)))
    return parsedError('app', 'FILE_TYPE_NOT_ALLOWED', 415);
  if (!typeKnown && extension && !(byExtension && allowed.includes(byExtension)))
    return parsedError('app', 'FILE_TYPE_NOT_ALLOWED', 415);
  return null;
}

/** What the file requests need from the session. */
export interface FileSession {
  getAccessToken: () => string | null;
  /** One shared refresh; resolves to the new token, or null when the session is gone. */
  refresh: () => Promise<string | null>;
}

export interface UploadOptions {
  file: File;
  /** An attachment's patient; a receipt has none. */
  patientId?: string;
  /** What the file is for (default `attachment`); the server applies that purpose's policy. */
  purpose?: 'attachment' | 'receipt';
  /** 0…1, from the browser's upload progress events. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

type XhrFactory = () => XMLHttpRequest;

interface Answer {
  status: number;
  body: string;
}

function send(
  createXhr: XhrFactory,
  token: string | null,
  { file, patientId, purpose = 'attachment', onProgress, signal }: UploadOptions,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const xhr = createXhr();
    xhr.open('POST', '/api/files');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = () =>
      reject(new FileRequestError(parsedError(isOffline() ? 'offline' : 'network')));
    xhr.ontimeout = () => reject(new FileRequestError(parsedError('timeout')));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    // The fields first: the server reads what the file is for before its bytes arrive.
    const body = new FormData();
    body.append('purpose', purpose);
    if (patientId) body.append('patientId', patientId);
    body.append('file', file, file.name);
    xhr.send(body);
  });
}

export function createFileClient(
  session: FileSession,
  createXhr: XhrFactory = () => new XMLHttpRequest(),
  fetchImpl: typeof fetch = (...args) => fetch(...args),
) {
  /** Sends once; on a 401 refreshes the session and sends exactly once more. */
  async function withRefresh<T extends Answer>(
    attempt: (token: string | null) => Promise<T>,
  ): Promise<T> {
    const token = session.getAccessToken();
    const first = await attempt(token);
    if (first.status !== 401) return first;
    const latest = session.getAccessToken();
    const next = latest && latest !== token ? latest : await session.refresh();
    if (!next) return first;
    return attempt(next);
  }

  async function upload(options: UploadOptions): Promise<FileOutput> {
    const early = checkAttachment(options.file, filePolicies[options.purpose ?? 'attachment']);
    if (early) throw new FileRequestError(early);
    const answer = await withRefresh((token) => {
      options.onProgress?.(0);
      return send(createXhr, token, options);
    });
    if (answer.status !== 201 && answer.status !== 200)
      throw new FileRequestError(errorFromResponse(answer.status, answer.body));
    return JSON.parse(answer.body) as FileOutput;
  }

  /** The file's bytes, typed as `mime` so a blob: URL of them previews as that type. */
  function download(id: string, mime: string, signal?: AbortSignal): Promise<Blob> {
    return downloadFrom(`/api/files/${encodeURIComponent(id)}`, mime, signal);
  }

  /** The bytes at a same-origin URL the server handed out (e.g. a receipt an admin reviews). */
  async function downloadFrom(url: string, mime: string, signal?: AbortSignal): Promise<Blob> {
    // The bearer token goes to this server only: a path on this origin, never a full URL.
    if (!url.startsWith('/') || url.startsWith('//'))
      throw new FileRequestError(parsedError('unknown'));
    let response: Response | null = null;
    const answer = await withRefresh(async (token) => {
      try {
        response = await fetchImpl(url, {
          headers: token ? { Authorization: `Bearer ${token}` } : {},
          credentials: 'same-origin',
          cache: 'no-store',
          signal: signal ?? null,
        });
      } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') throw error;
        throw new FileRequestError(parsedError(isOffline() ? 'offline' : 'network'));
      }
      return { status: response.status, body: '' };
    });
    const last = response as Response | null;
    if (!last) throw new FileRequestError(parsedError('unknown'));
    if (!last.ok)
      throw new FileRequestError(
        errorFromResponse(answer.status, await last.text().catch(() => '')),
      );
    const bytes = await last.arrayBuffer();
    return new Blob([bytes], { type: mime });
  }

  return { upload, download, downloadFrom };
}

export type FileClient = ReturnType<typeof createFileClient>;
