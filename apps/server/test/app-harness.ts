import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { AppConfig } from '@medora/core';
import pino from 'pino';
import { createApp, routesOf, type CreateAppOptions } from '../src/app';
import type { TestServer } from './start-test-server';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface ServedApp {
  baseUrl: string;
  /** Every line the app logged, at debug level and above. */
  logs: LogLine[];
  /** The routes the app answers (see routesOf). */
  routes: readonly string[];
  close(): Promise<void>;
}

/** pino's numeric level for `error`; `fatal` is above it. */
export const ERROR_LEVEL = 50;

/**
 * The app over real HTTP, built on a test server's services but with its own configuration
 * overrides, web folder and a logger whose lines the test can read.
 */
export async function serveApp(
  server: TestServer,
  opts: {
    config?: Partial<AppConfig>;
    webDistDir?: string;
    routes?: CreateAppOptions['routes'];
    rateLimitKeyPrefix?: string;
  } = {},
): Promise<ServedApp> {
  const logs: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => logs.push(JSON.parse(line) as LogLine) },
  );
  const app = createApp({
    services: { ...server.services, logger, config: { ...server.services.config, ...opts.config } },
    webDistDir: opts.webDistDir,
    routes: opts.routes,
    rateLimitKeyPrefix: opts.rateLimitKeyPrefix,
  });
  const handle = app.callback();
  const httpServer = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    routes: routesOf(app),
    close: () =>
      new Promise<void>((resolve, reject) => {
        httpServer.closeAllConnections();
        httpServer.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body's bytes as sent (still compressed when Content-Encoding says so). */
  bytes: Buffer;
}

/**
 * One request exactly as written: any method (fetch refuses TRACE), any Host, Origin or
 * fetch-metadata header, and the raw body.
 */
export function rawRequest(
  baseUrl: string,
  req: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { hostname, port, path: req.path, method: req.method, headers: req.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            bytes: Buffer.concat(chunks),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** What a built web app holds, as Vite lays it out (public/ files land at the root). */
export const WEB_FILES = {
  'index.html': '<!doctype html><html><head><title>MedoraAI</title></head><body></body></html>',
  'assets/index-Bx3f9a1c.js': 'console.log("app");',
  'assets/index-Bx3f9a1c.js.map': '{"version":3,"sources":["../src/main.tsx"]}',
  'assets/index-Bx3f9a1c.js.map.gz': 'pre-compressed source map',
  'favicon.ico': 'ICO',
  'manifest.webmanifest': '{"name":"MedoraAI","start_url":"/"}',
  'sw.js': 'self.addEventListener("fetch", () => {});',
  'icons/icon-192.png': 'PNG',
  // Pages the build drew (apps/web/plugins/prerender.ts); /register only in Uzbek here.
  'prerendered/login.uz.html': '<!doctype html><html lang="uz-Latn"><title>Kirish</title></html>',
  'prerendered/login.ru.html': '<!doctype html><html lang="ru"><title>Вход</title></html>',
  'prerendered/login.en.html': '<!doctype html><html lang="en"><title>Sign in</title></html>',
  'prerendered/register.uz.html':
    '<!doctype html><html lang="uz-Latn"><title>Roʻyxat</title></html>',
} as const;

/** The text files the web build precompresses (apps/web/plugins/precompress.ts). */
export const PRECOMPRESSED = /\.(js|css|html|svg|json|webmanifest|txt)$/;

/**
 * A throwaway web build folder with WEB_FILES in it and, as the build leaves them, a brotli
 * (`.br`) and a gzip (`.gz`) twin of each text file (`precompressed: false` leaves them out).
 */
export async function makeWebDist(opts: { precompressed?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'medora-web-dist-'));
  for (const [name, content] of Object.entries(WEB_FILES)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    if (opts.precompressed !== false && PRECOMPRESSED.test(name)) {
      await writeFile(`${file}.br`, brotliCompressSync(content));
      await writeFile(`${file}.gz`, gzipSync(content));
    }
  }
  return dir;
}
