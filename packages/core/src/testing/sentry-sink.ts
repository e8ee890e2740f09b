import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * A local stand-in for a Sentry server, speaking the envelope protocol the SDKs send
 * (`POST /api/<project>/envelope/`, body optionally gzip- or deflate-compressed; one JSON header
 * line, then items, each a JSON header line and a payload of `length` bytes or up to the next
 * newline). Tests point a DSN at it and read what arrived, raw and parsed.
 */

export interface EnvelopeItem {
  header: { type: string; length?: number; [key: string]: unknown };
  /** The payload parsed as JSON when it is JSON, else the text. */
  payload: unknown;
}

export interface Envelope {
  project: string;
  header: Record<string, unknown>;
  items: EnvelopeItem[];
  /** The decompressed body exactly as it arrived. */
  raw: string;
}

export interface SentrySink {
  /** A DSN for project 1 on this sink. */
  dsn: string;
  /** `http://127.0.0.1:<port>`, what a CSP must allow for a browser to report here. */
  origin: string;
  envelopes: Envelope[];
  /** Payloads of every `event` item (errors), in arrival order. */
  events(): Record<string, unknown>[];
  /** Resolves once `count` events arrived; rejects after `timeoutMs`. */
  waitForEvents(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);

async function decode(body: Buffer, encoding: string | undefined): Promise<Buffer> {
  if (encoding === 'gzip') return gunzip(body);
  if (encoding === 'deflate') return inflate(body);
  return body;
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Splits an envelope body into its header and items (Sentry's envelope format). */
export function parseEnvelope(body: Buffer, project = '1'): Envelope {
  let at = 0;
  const line = (): string => {
    const end = body.indexOf(0x0a, at);
    const text = body.subarray(at, end === -1 ? body.length : end).toString('utf8');
    at = end === -1 ? body.length : end + 1;
    return text;
  };
  const header = JSON.parse(line()) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  while (at < body.length) {
    const headerLine = line();
    if (!headerLine.trim()) continue;
    const itemHeader = JSON.parse(headerLine) as EnvelopeItem['header'];
    let payload: string;
    if (typeof itemHeader.length === 'number') {
      payload = body.subarray(at, at + itemHeader.length).toString('utf8');
      at += itemHeader.length;
      if (body[at] === 0x0a) at += 1;
    } else {
      payload = line();
    }
    items.push({ header: itemHeader, payload: parseJson(payload) });
  }
  return { project, header, items, raw: body.toString('utf8') };
}

const ENVELOPE_PATH = /^\/api\/([^/]+)\/envelope\/?(?:\?.*)?$/;

export async function startSentrySink(): Promise<SentrySink> {
  const envelopes: Envelope[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    // Browsers post cross-origin: let them read the answer (the SDK does not need it).
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', '*');
    const match = ENVELOPE_PATH.exec(req.url ?? '');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (req.method !== 'POST' || !match) return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      decode(Buffer.concat(chunks), req.headers['content-encoding'])
        .then((body) => {
          envelopes.push(parseEnvelope(body, match[1]));
          for (const wake of waiters) wake();
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        })
        .catch(() => res.writeHead(400).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const events = () =>
    envelopes.flatMap((e) =>
      e.items
        .filter((i) => i.header.type === 'event')
        .map((i) => i.payload as Record<string, unknown>),
    );
  return {
    dsn: `http://public@127.0.0.1:${port}/1`,
    origin,
    envelopes,
    events,
    waitForEvents: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (events().length < count) return;
          cleanup();
          resolve(events());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`expected ${count} events, the sink has ${events().length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
