import {
  AppError,
  asDoctor,
  bearerToken,
  notFound,
  scopeOf,
  unauthenticated,
  type IncomingFile,
  type Scope,
  type Services,
} from '@medora/core';
import { toFieldErrors, uploadFields, type UploadFields } from '@medora/schema';
import busboy from 'busboy';
import contentDisposition from 'content-disposition';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { ParameterizedContext } from 'koa';
import { z } from 'zod';
import type { ServerRouter } from '../app';
import { uploadBytesReceived } from '../lib/upload-memory';
import type { AppState } from '../state';

type Ctx = ParameterizedContext<AppState>;

/**
 * The caller behind the bearer token, as the tRPC procedures see them, and whether their
 * session passed the second factor (what an administrator needs for anything).
 */
export async function callerScope(
  services: Services,
  ctx: Ctx,
): Promise<{ scope: Scope; secondFactor: boolean }> {
  const token = bearerToken(ctx.get('authorization'));
  if (!token) throw unauthenticated();
  const session = await services.sessions.authenticate(token);
  return {
    scope: scopeOf(session, {
      ip: ctx.ip,
      userAgent: ctx.get('user-agent') || null,
      requestId: ctx.state.requestId,
    }),
    secondFactor: session.secondFactor,
  };
}

const invalid = (field: string, code: 'required' | 'invalid' = 'invalid') =>
  new AppError('BAD_REQUEST', 'VALIDATION_FAILED', { fieldErrors: { [field]: [code] } });

/**
 * Reads one multipart upload: the fields first (they say what the file is for), then exactly one
 * part named `file`, handed to `handle` as a stream while it is still arriving. Anything else —
 * a second file, the file before its fields, too many or too long fields, a broken body — is a
 * 400. Field names and sizes are bounded by busboy's limits, so a hostile body costs little.
 */
function receiveUpload<T>(
  req: IncomingMessage,
  handle: (fields: UploadFields, file: IncomingFile) => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        // Browsers send UTF-8 file names; busboy's default would read them as Latin-1.
        defParamCharset: 'utf8',
        limits: { files: 1, fields: 4, parts: 5, fieldNameSize: 32, fieldSize: 256 },
      });
    } catch {
      reject(invalid('file'));
      return;
    }
    const fields: Record<string, string> = {};
    let settled = false;
    let handling: Promise<T> | null = null;
    let fileStream: Readable | null = null;
    let bodyRead!: () => void;
    let bodyBroken!: (err: Error) => void;
    const complete = new Promise<void>((res, rej) => {
      bodyRead = res;
      bodyBroken = rej;
    });
    complete.catch(() => undefined);
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      req.unpipe(bb);
      req.resume();
      bodyBroken(err);
      // Answer only once the upload in progress has given up and cleaned up after itself.
      if (handling)
        handling.then(
          () => reject(err),
          () => reject(err),
        );
      else reject(err);
    };
    bb.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) return fail(invalid(name.slice(0, 32)));
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || handling) {
        stream.resume();
        return fail(invalid(name === 'file' ? 'file' : name.slice(0, 32)));
      }
      const parsed = uploadFields.safeParse(fields);
      if (!parsed.success) {
        stream.resume();
        return fail(
          new AppError('BAD_REQUEST', 'VALIDATION_FAILED', {
            fieldErrors: toFieldErrors(parsed.error.issues),
          }),
        );
      }
      fileStream = stream;
      handling = handle(parsed.data, {
        stream,
        fileName: info.filename,
        mimeType: info.mimeType,
        complete,
      });
      handling.then(
        (value) => {
          if (settled) return;
          settled = true;
          resolve(value);
        },
        (err: unknown) => fail(err instanceof Error ? err : new Error(String(err))),
      );
    });
    for (const limit of ['filesLimit', 'fieldsLimit', 'partsLimit'] as const)
      bb.on(limit, () => fail(invalid('file')));
    bb.on('error', () => fail(invalid('file')));
    bb.on('close', () => {
      if (!handling) fail(invalid('file', 'required'));
      else bodyRead();
    });
    // A client that hangs up mid-body: busboy never sees the end, so without this the file
    // stream (and the upload writing it to a staging file) would wait for bytes forever.
    req.once('close', () => {
      if (req.complete || settled) return;
      const err = invalid('file');
      fileStream?.destroy(err);
      fail(err);
    });
    req.on('data', (chunk: Buffer) => uploadBytesReceived(chunk.length));
    req.pipe(bb);
  });
}

const fileId = z.uuid();

/**
 * `POST /api/files` (multipart: purpose, patientId?, file) and `GET /api/files/:id`. Both take
 * the same access token as the API; the workspace always comes from the session.
 */
export function fileRoutes(router: ServerRouter, services: Services): void {
  router.post('/api/files', async (ctx) => {
    ctx.state.route = 'POST /api/files';
    const { scope } = await callerScope(services, ctx);
    const doctor = asDoctor(scope);
    if (!doctor) throw new AppError('FORBIDDEN', 'FORBIDDEN');
    if (!ctx.is('multipart/form-data'))
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'VALIDATION_FAILED');
    try {
      const stored = await receiveUpload(ctx.req, (fields, file) =>
        services.files.upload(doctor, fields, file),
      );
      ctx.status = 201;
      ctx.body = stored;
    } catch (err) {
      // The client may still be sending: close the connection rather than read the rest.
      ctx.set('Connection', 'close');
      throw err;
    }
  });

  router.get('/api/files/:id', async (ctx) => {
    ctx.state.route = 'GET /api/files/:id';
    const id = fileId.safeParse(ctx.params.id);
    const { scope, secondFactor } = await callerScope(services, ctx);
    // An administrator reads receipts only, and only as the admin procedures do: after the
    // second factor.
    if (scope.role === 'admin' && !secondFactor)
      throw new AppError('FORBIDDEN', 'SECOND_FACTOR_REQUIRED');
    if (!id.success) throw notFound();
    const file = await services.files.download(scope, id.data);
    ctx.set('Content-Type', file.mime);
    ctx.set('Content-Length', String(file.size));
    ctx.set('Content-Disposition', contentDisposition(file.name, { type: 'attachment' }));
    // Health data: never kept by a shared cache, and nothing in it may ever run.
    ctx.set('Cache-Control', 'private, no-store');
    ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; sandbox");
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = file.stream;
  });
}
