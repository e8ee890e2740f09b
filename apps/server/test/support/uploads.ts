import path from 'node:path';
import { filesUnder } from '@medora/core/testing';
import type { TestServer } from '../start-test-server';

// What the upload suites share: a multipart POST as a browser sends it, a download, and the
// folders and rows an upload may leave behind.

export interface UploadAnswer {
  status: number;
  body: {
    id?: string;
    name?: string;
    mime?: string;
    size?: number;
    sha256?: string;
    error?: { code: string; fieldErrors?: Record<string, string[]> };
  };
}

export async function uploadFile(
  server: TestServer,
  token: string | null,
  file: { bytes: Buffer; name: string; type?: string } | null,
  fields: Record<string, string> = { purpose: 'attachment' },
): Promise<UploadAnswer> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([file.bytes], { type: file.type ?? '' }), file.name);
  const res = await fetch(`${server.baseUrl}/api/files`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  const text = await res.text();
  let body: UploadAnswer['body'] = {};
  try {
    body = JSON.parse(text) as UploadAnswer['body'];
  } catch {
    // Not JSON: the assertion on the status says what went wrong.
  }
  return { status: res.status, body };
}

export const downloadFile = (server: TestServer, token: string | null, id: string) =>
  fetch(`${server.baseUrl}/api/files/${id}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

const filesRoot = (server: TestServer) => path.join(server.services.config.dataDir, 'files');
/** Upload bodies in flight (or left behind by one that never cleaned up). */
export const stagedFiles = (server: TestServer) =>
  filesUnder(path.join(filesRoot(server), 'staging'));
/** Stored objects, one per file row. */
export const storedFiles = (server: TestServer) =>
  filesUnder(path.join(filesRoot(server), 'objects'));

export const fileRowCount = async (server: TestServer) =>
  Number(
    (
      await server.services.db
        .selectFrom('files')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
