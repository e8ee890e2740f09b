import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import type { AnalysisReport, StoredAnalysisInput } from '@medora/schema';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type LlmProvider } from '../src/config';
import { createLlmClient, deidentify, scrubContacts } from '../src/llm/index';
import { createLogger } from '../src/logger';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'medora-llm-'));
const KEY = 'sk-test-7f3a9c1e5b2d4f6a8c0e';

// ---------------------------------------------------------------------------------------------
// Fixtures: identifying details are planted everywhere they could slip through.

const identifying = {
  name: 'Valiyev Akmal',
  phone: '+998901234567',
  address: 'Chilonzor 9-kvartal',
  birthDate: '1979-04-15',
};

const storedInput = (): StoredAnalysisInput =>
  ({
    locale: 'ru',
    patient: {
      sex: 'male',
      ageYears: 46,
      pregnant: false,
      weightKg: 92.5,
      heightCm: 176,
      // Not part of the stored input today; the allow-list must drop them all the same.
      ...identifying,
    },
    complaints:
      'Thirst and polyuria for 3 weeks. Call back on +998 90 123-45-67 or akmal.v@mail.uz.',
    history: 'Father with type 2 diabetes. Daughter: 99 876 54 32.',
    medications: ['metformin 500 mg', 'ask pharmacy at (71) 2345678'],
    vitals: { systolicBp: 148, diastolicBp: 92, heartRate: 88, extra: 'x' },
    labs: [
      { code: 'glucose', value: 11.8, unit: 'mmol/L', referenceLow: 3.9, referenceHigh: 6.1 },
      { code: 'hba1c', value: 8.4, unit: '%' },
    ],
    patientName: identifying.name,
    address: identifying.address,
  }) as unknown as StoredAnalysisInput;

const report: AnalysisReport = {
  engine: { kind: 'rules', version: '1.0.0', knowledgeBase: 'kb-2026-11' },
  locale: 'ru',
  labs: [
    {
      code: 'glucose',
      name: 'Glucose',
      value: 11.8,
      unit: 'mmol/L',
      siValue: 11.8,
      siUnit: 'mmol/L',
      referenceLow: 3.9,
      referenceHigh: 6.1,
      referenceSource: 'laboratory',
      flag: 'H',
    },
  ],
  derived: [
    { code: 'bmi', value: 29.9, unit: 'kg/m2', interpretation: 'overweight', source: 'WHO' },
  ],
  redFlags: [
    { code: 'severe_hyperglycemia', severity: 'urgent', message: 'High glucose', evidence: [] },
  ],
  differential: [
    {
      code: 'E11.9',
      name: 'Type 2 diabetes',
      score: 80,
      evidenceFor: [],
      evidenceAgainst: [],
      recommendedTests: [],
      sources: [],
    },
  ],
  recommendedTests: [],
  warnings: [],
  disclaimer: 'Decision support only.',
};

const answer = {
  narrative: 'Гипергликемия с полиурией и жаждой; вероятен сахарный диабет 2 типа.',
  hypotheses: [
    {
      code: 'E11.65',
      name: 'Диабет 2 типа с гипергликемией',
      rationale: 'Глюкоза 11.8, HbA1c 8.4',
    },
    { code: null, name: 'Метаболический синдром', rationale: 'ИМТ 29.9, АД 148/92' },
  ],
};

// ---------------------------------------------------------------------------------------------
// A local server that speaks each provider's protocol; each test sets how it answers.

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server;
let port: number;
let handler: Handler;
let seen: Seen[];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(request);
      handler(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
});

const hang: Handler = () => undefined;
const sendJson =
  (status: number, body: unknown): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

/** The provider's 200 response carrying `text` as the model's output. */
const envelope = (provider: LlmProvider, text: string): unknown =>
  provider === 'anthropic'
    ? {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: '{"narrative": "not this one", "hypotheses": []}' },
          { type: 'text', text },
          { type: 'text', text: 'ignored second block' },
        ],
        stop_reason: 'end_turn',
      }
    : {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: text } }],
      };

const llmEnv = (provider: LlmProvider, over: Record<string, string> = {}) => ({
  DATA_DIR: tmp(),
  LLM_PROVIDER: provider,
  LLM_BASE_URL:
    provider === 'anthropic' ? `http://127.0.0.1:${port}` : `http://127.0.0.1:${port}/v1/`,
  LLM_API_KEY: KEY,
  LLM_MODEL: provider === 'anthropic' ? 'claude-test' : 'gpt-test',
  LLM_TIMEOUT_MS: '1000',
  ...over,
});

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text, lines: () => text.trim().split('\n').filter(Boolean) };
}

function setup(provider: LlmProvider, over: Record<string, string> = {}) {
  const config = loadConfig(llmEnv(provider, over));
  const logs = capture();
  const logger = createLogger(
    { logLevel: 'info', isProduction: false, version: 't', logDir: undefined, logFormat: 'json' },
    'worker',
    logs.stream,
  );
  const client = createLlmClient(config.llm, logger)!;
  return { config: config.llm!, client, logs };
}

// ---------------------------------------------------------------------------------------------

describe('deidentify', () => {
  it('copies only the allowed clinical fields', () => {
    expect(deidentify(storedInput())).toEqual({
      locale: 'ru',
      patient: { sex: 'male', ageYears: 46, pregnant: false, weightKg: 92.5, heightCm: 176 },
      complaints: 'Thirst and polyuria for 3 weeks. Call back on [phone] or [email].',
      history: 'Father with type 2 diabetes. Daughter: [phone].',
      medications: ['metformin 500 mg', 'ask pharmacy at [phone]'],
      vitals: { systolicBp: 148, diastolicBp: 92, heartRate: 88 },
      labs: [
        { code: 'glucose', value: 11.8, unit: 'mmol/L', referenceLow: 3.9, referenceHigh: 6.1 },
        { code: 'hba1c', value: 8.4, unit: '%', referenceLow: null, referenceHigh: null },
      ],
    });
  });

  it('leaves nothing identifying anywhere in the case', () => {
    const text = JSON.stringify(deidentify(storedInput()));
    for (const s of [
      ...Object.values(identifying),
      '123-45-67',
      '876 54 32',
      '2345678',
      'akmal.v@mail.uz',
    ])
      expect(text).not.toContain(s);
  });

  it('keeps optional fields absent when they were', () => {
    const c = deidentify({
      locale: 'uz',
      patient: { sex: 'female', ageYears: 30 },
      complaints: '',
      labs: [],
    });
    expect(c).toEqual({
      locale: 'uz',
      patient: { sex: 'female', ageYears: 30 },
      complaints: '',
      medications: [],
      vitals: {},
      labs: [],
    });
  });

  it.each([
    ['+998901234567', '[phone]'],
    ['+998 90 123 45 67', '[phone]'],
    ['90-123-45-67', '[phone]'],
    ['(90) 123-45-67', '[phone]'],
    ['tel 1234567.', 'tel [phone].'],
    ['write to doc.aliyeva+lab@clinic.example.uz today', 'write to [email] today'],
    ['a@b.co and +7 (912) 345-67-89', '[email] and [phone]'],
  ])('scrubs %j', (text, expected) => {
    expect(scrubContacts(text)).toBe(expected);
  });

  it.each([
    'glucose 11.8 mmol/L, HbA1c 8.4 %',
    'BP 148/92, HR 88, SpO2 97%',
    'for 3 weeks, 2 times a day, 500 mg',
    'code 123456',
  ])('keeps clinical numbers such as %j', (text) => {
    expect(scrubContacts(text)).toBe(text);
  });
});

describe('config.llm', () => {
  it('is null when no provider is set, and then there is no client', () => {
    const config = loadConfig({ DATA_DIR: tmp(), LLM_MODEL: 'm', LLM_API_KEY: KEY });
    expect(config.llm).toBeNull();
    expect(createLlmClient(config.llm, createLogger({ ...config, logLevel: 'silent' }, 't'))).toBe(
      null,
    );
  });

  it.each([
    ['LLM_MODEL', { LLM_MODEL: '' }],
    ['LLM_API_KEY', { LLM_API_KEY: '' }],
    ['LLM_API_KEY', { LLM_API_KEY: '   ' }],
  ])('refuses to start with a provider but no %s', (name, over) => {
    expect(() => loadConfig(llmEnv('anthropic', over))).toThrow(ConfigError);
    expect(() => loadConfig(llmEnv('anthropic', over))).toThrow(
      `${name} is required when LLM_PROVIDER is set`,
    );
  });

  it('names both when model and key are missing', () => {
    const env = { DATA_DIR: tmp(), LLM_PROVIDER: 'openai-compatible' };
    expect(() => loadConfig(env)).toThrow(/LLM_MODEL is required[^]*LLM_API_KEY is required/);
  });

  it.each([
    ['LLM_PROVIDER', { LLM_PROVIDER: 'gemini' }],
    ['LLM_BASE_URL', { LLM_BASE_URL: 'ftp://example.com' }],
    ['LLM_TIMEOUT_MS', { LLM_TIMEOUT_MS: '999' }],
    ['LLM_TIMEOUT_MS', { LLM_TIMEOUT_MS: '120001' }],
  ])('refuses a bad %s', (name, over) => {
    expect(() => loadConfig(llmEnv('anthropic', over))).toThrow(
      new RegExp(`Invalid configuration:\\n  ${name}:`),
    );
  });

  it('defaults the base URL by provider and the timeout to 15 s', () => {
    const env = { DATA_DIR: tmp(), LLM_API_KEY: KEY, LLM_MODEL: 'm' };
    const openai = loadConfig({ ...env, LLM_PROVIDER: 'openai-compatible' }).llm!;
    const anthropic = loadConfig({ ...env, LLM_PROVIDER: 'anthropic' }).llm!;
    expect(openai.baseUrl).toBe('https://api.openai.com/v1');
    expect(anthropic.baseUrl).toBe('https://api.anthropic.com');
    expect(openai.timeoutMs).toBe(15_000);
    expect({ ...anthropic, apiKey: anthropic.apiKey }).toEqual({
      provider: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      apiKey: KEY,
      model: 'm',
      timeoutMs: 15_000,
    });
    expect(loadConfig(llmEnv('openai-compatible')).llm!.baseUrl).toBe(
      `http://127.0.0.1:${port}/v1`,
    );
  });

  it('keeps the key out of a logged, serialized or printed configuration', () => {
    const config = loadConfig(llmEnv('openai-compatible'));
    expect(config.llm!.apiKey).toBe(KEY);
    const out = capture();
    const logger = createLogger(
      { ...config, logLevel: 'info', logFormat: 'json' },
      'server',
      out.stream,
    );
    logger.info({ config }, 'configuration');
    logger.info(config.llm!, 'llm');
    logger.info({ llm: config.llm }, 'llm');
    expect(out.lines()).toHaveLength(3);
    expect(out.text()).toContain('gpt-test');
    expect(out.text()).not.toContain(KEY);
    expect(JSON.stringify(config)).not.toContain(KEY);
    expect(inspect(config, { depth: 5 })).not.toContain(KEY);
  });
});

describe.each(['openai-compatible', 'anthropic'] as const)('%s client', (provider) => {
  const expectedPath = provider === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';
  const model = provider === 'anthropic' ? 'claude-test' : 'gpt-test';

  it('sends the de-identified case and the rules findings, and returns the enrichment', async () => {
    handler = sendJson(200, envelope(provider, JSON.stringify(answer)));
    const { client, logs } = setup(provider);
    const result = await client.enrich(deidentify(storedInput()), report);

    expect(result).toEqual({ ok: true, enrichment: { provider, model, ...answer } });
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe(expectedPath);
    expect(req!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req!.body) as Record<string, unknown>;
    expect(body.model).toBe(model);
    expect(body.temperature).toBe(0);
    const messages = body.messages as { role: string; content: string }[];
    expect(messages.at(-1)!.content).toContain('Thirst and polyuria');
    if (provider === 'anthropic') {
      expect(req!.headers['x-api-key']).toBe(KEY);
      expect(req!.headers['anthropic-version']).toBe('2023-06-01');
      expect(req!.headers.authorization).toBeUndefined();
      expect(body.max_tokens).toBeGreaterThan(1000);
      expect(body.system).toContain('Russian');
      expect(messages.map((m) => m.role)).toEqual(['user']);
    } else {
      expect(req!.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(req!.headers['x-api-key']).toBeUndefined();
      expect(body.response_format).toEqual({ type: 'json_object' });
      expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
      expect(messages[0]!.content).toContain('Russian');
    }
    // The case, as the model reads it: labs and complaints in, nothing identifying.
    for (const s of ['glucose', '11.8', 'hba1c', '8.4', 'mmol/L', 'Thirst and polyuria'])
      expect(req!.body).toContain(s);
    const [caseText, findingsText] = messages
      .at(-1)!
      .content.replace(/^Case:\n/, '')
      .split('\n\nRules engine findings:\n');
    expect(JSON.parse(caseText!)).toEqual(deidentify(storedInput()));
    expect(JSON.parse(findingsText!)).toEqual({
      labs: [{ code: 'glucose', flag: 'H', siValue: 11.8, siUnit: 'mmol/L' }],
      derived: [{ code: 'bmi', value: 29.9, unit: 'kg/m2', interpretation: 'overweight' }],
      redFlags: [{ code: 'severe_hyperglycemia', severity: 'urgent' }],
      differential: ['E11.9'],
    });
    for (const s of [
      ...Object.values(identifying),
      '901234567',
      '123-45-67',
      '876 54 32',
      '2345678',
      'akmal.v@mail.uz',
    ])
      expect(req!.body).not.toContain(s);

    // One log line: provider, model, status, duration; no prompt, answer or key.
    const lines = logs.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ provider, model, status: 200 });
    expect(lines[0]!.durationMs).toBeGreaterThanOrEqual(0);
    for (const s of [KEY, 'Thirst', 'glucose', 'Гипергликемия', 'E11.65'])
      expect(logs.text()).not.toContain(s);
  });

  it('asks in the report’s language', async () => {
    handler = sendJson(200, envelope(provider, JSON.stringify(answer)));
    const { client } = setup(provider);
    await client.enrich(deidentify(storedInput()), { ...report, locale: 'uz' });
    expect(seen[0]!.body).toContain('Uzbek in the Latin script');
    expect(seen[0]!.body).not.toContain('Russian');
  });

  it('takes the JSON out of a fenced or commented answer', async () => {
    const text = `Here is the analysis:\n\`\`\`json\n${JSON.stringify(answer, null, 2)}\n\`\`\`\nHope it helps {}.`;
    handler = sendJson(200, envelope(provider, text));
    const { client } = setup(provider);
    expect(await client.enrich(deidentify(storedInput()), report)).toEqual({
      ok: true,
      enrichment: { provider, model, ...answer },
    });
  });

  it('gives up at the configured timeout when the server does not answer', async () => {
    handler = hang;
    const { client, logs } = setup(provider, { LLM_TIMEOUT_MS: '1000' });
    const started = Date.now();
    const result = await client.enrich(deidentify(storedInput()), report);
    const elapsed = Date.now() - started;
    expect(result).toEqual({ ok: false, failure: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(5000);
    expect(JSON.parse(logs.lines()[0]!)).toMatchObject({ provider, model, failure: 'timeout' });
  });

  it('gives up at the timeout when the answer starts but never ends', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"choices": [');
    };
    const { client } = setup(provider);
    expect(await client.enrich(deidentify(storedInput()), report)).toEqual({
      ok: false,
      failure: 'timeout',
    });
  });

  it.each([500, 401, 429])('answers error on HTTP %i', async (status) => {
    handler = sendJson(status, { error: { message: 'boom' } });
    const { client, logs } = setup(provider);
    expect(await client.enrich(deidentify(storedInput()), report)).toEqual({
      ok: false,
      failure: 'error',
    });
    expect(JSON.parse(logs.lines()[0]!)).toMatchObject({ status, failure: 'error' });
  });

  it('answers error when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { client } = setup(provider, { LLM_BASE_URL: `http://127.0.0.1:${closedPort}` });
    expect(await client.enrich(deidentify(storedInput()), report)).toEqual({
      ok: false,
      failure: 'error',
    });
  });

  it('stops when the caller aborts, well before the timeout', async () => {
    handler = hang;
    const { client } = setup(provider, { LLM_TIMEOUT_MS: '10000' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const result = await client.enrich(deidentify(storedInput()), report, {
      signal: controller.signal,
    });
    expect(result).toEqual({ ok: false, failure: 'error' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers invalid_answer when the response body is not JSON', async () => {
    handler = sendJson(200, '{"choices": [{"message": ');
    const { client } = setup(provider);
    expect(await client.enrich(deidentify(storedInput()), report)).toEqual({
      ok: false,
      failure: 'invalid_answer',
    });
  });

  it('answers invalid_answer when the body is not the provider’s shape', async () => {
    handler = sendJson(200, { result: JSON.stringify(answer) });
    const { client } = setup(provider);
    expect(await client.enrich(deidentify(storedInput()), report)).toEqual({
      ok: false,
      failure: 'invalid_answer',
    });
  });

  const tooMany = Array.from({ length: 6 }, (_, i) => ({
    code: `E1${i}`,
    name: `h${i}`,
    rationale: 'r',
  }));
  it.each([
    ['prose', 'The patient probably has diabetes.'],
    ['malformed JSON', '{"narrative": "x", "hypotheses": [}'],
    ['a JSON array', JSON.stringify([answer])],
    ['no hypotheses', JSON.stringify({ narrative: 'x' })],
    ['no narrative', JSON.stringify({ hypotheses: [] })],
    ['an empty narrative', JSON.stringify({ narrative: ' ', hypotheses: [] })],
    ['hypotheses as text', JSON.stringify({ narrative: 'x', hypotheses: 'E11' })],
    ['six hypotheses', JSON.stringify({ narrative: 'x', hypotheses: tooMany })],
    ['a narrative over 2000', JSON.stringify({ narrative: 'x'.repeat(2001), hypotheses: [] })],
    [
      'a code that is not ICD-10',
      JSON.stringify({
        narrative: 'x',
        hypotheses: [{ code: 'diabetes', name: 'n', rationale: 'r' }],
      }),
    ],
    [
      'a hypothesis without rationale',
      JSON.stringify({ narrative: 'x', hypotheses: [{ code: null, name: 'n' }] }),
    ],
  ])('answers invalid_answer for %s', async (_label, text) => {
    handler = sendJson(200, envelope(provider, text));
    const { client } = setup(provider);
    expect(await client.enrich(deidentify(storedInput()), report)).toEqual({
      ok: false,
      failure: 'invalid_answer',
    });
  });

  it('accepts the bounds themselves', async () => {
    const full = {
      narrative: 'y'.repeat(2000),
      hypotheses: tooMany.slice(0, 5).map((h) => ({ ...h, code: h.code.toLowerCase() })),
    };
    handler = sendJson(200, envelope(provider, JSON.stringify(full)));
    const { client } = setup(provider);
    const result = await client.enrich(deidentify(storedInput()), report);
    expect(result).toEqual({
      ok: true,
      enrichment: {
        provider,
        model,
        narrative: full.narrative,
        hypotheses: tooMany.slice(0, 5),
      },
    });
  });
});

describe('createLlmClient', () => {
  it('never throws, even when fetch itself does', async () => {
    const config = loadConfig(llmEnv('anthropic')).llm!;
    const logger = createLogger({ ...loadConfig({ DATA_DIR: tmp() }), logLevel: 'silent' }, 't');
    const client = createLlmClient(config, logger, () => {
      throw new TypeError('fetch exploded');
    })!;
    await expect(client.enrich(deidentify(storedInput()), report)).resolves.toEqual({
      ok: false,
      failure: 'error',
    });
  });
});
