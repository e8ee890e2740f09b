import type { AnalysisEnrichment, AnalysisReport, EnrichmentFailure } from '@medora/schema';
import type { LlmConfig } from '../config';
import type { Logger } from '../logger';
import type { DeidentifiedCase } from './deidentify';
import { buildPrompt, extractJsonObject, llmAnswer } from './prompt';
import { providers } from './providers';

export type EnrichResult =
  { ok: true; enrichment: AnalysisEnrichment } | { ok: false; failure: EnrichmentFailure };

export interface LlmClient {
  /**
   * Asks the model for a narrative and further hypotheses. Never throws: a timeout (the configured
   * one), an unreachable server, a non-2xx answer, a caller's abort or an answer that is not the
   * expected JSON all come back as a failure, and the rules report stands alone.
   */
  enrich(
    c: DeidentifiedCase,
    report: AnalysisReport,
    opts?: { signal?: AbortSignal },
  ): Promise<EnrichResult>;
}

/** The few logger methods the client uses. */
export type LlmLogger = Pick<Logger, 'info' | 'warn'>;

/**
 * The configured model's client, or null when none is configured (`config.llm` is null). Logs one
 * line per call with provider, model, HTTP status, duration and failure kind, never the prompt,
 * the answer or the key.
 */
export function createLlmClient(
  config: LlmConfig | null,
  logger: LlmLogger,
  fetchImpl: typeof fetch = fetch,
): LlmClient | null {
  if (!config) return null;
  const protocol = providers[config.provider];
  const { provider, model } = config;

  return {
    async enrich(c, report, opts = {}) {
      const started = performance.now();
      const timeout = AbortSignal.timeout(config.timeoutMs);
      const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
      let status: number | undefined;
      const done = (result: EnrichResult): EnrichResult => {
        const line = {
          provider,
          model,
          status,
          durationMs: Math.round(performance.now() - started),
        };
        if (result.ok) logger.info(line, 'llm enrichment done');
        else logger.warn({ ...line, failure: result.failure }, 'llm enrichment failed');
        return result;
      };
      try {
        const { url, init } = protocol.request(config, buildPrompt(c, report));
        const response = await fetchImpl(url, { ...init, signal });
        status = response.status;
        if (!response.ok) {
          await response.body?.cancel().catch(() => undefined);
          return done({ ok: false, failure: 'error' });
        }
        const raw = await response.text();
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          return done({ ok: false, failure: 'invalid_answer' });
        }
        const text = protocol.text(body);
        const parsed = llmAnswer.safeParse(
          text === undefined ? undefined : extractJsonObject(text),
        );
        if (!parsed.success) return done({ ok: false, failure: 'invalid_answer' });
        return done({ ok: true, enrichment: { provider, model, ...parsed.data } });
      } catch {
        // Network errors, aborts and anything unexpected: only the timeout is told apart.
        return done({ ok: false, failure: timeout.aborted ? 'timeout' : 'error' });
      }
    },
  };
}
