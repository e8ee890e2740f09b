import type { LlmConfig, LlmProvider } from '../config';
import type { LlmPrompt } from './prompt';

/** Room for a 2000-character narrative and five hypotheses in any of the three languages. */
export const LLM_MAX_TOKENS = 4096;

export const ANTHROPIC_VERSION = '2023-06-01';

interface ProviderProtocol {
  request(config: LlmConfig, prompt: LlmPrompt): { url: string; init: RequestInit };
  /** The model's text in a parsed 2xx response body, or undefined when the body has none. */
  text(body: unknown): string | undefined;
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;

const json = { 'content-type': 'application/json', accept: 'application/json' };

/** OpenAI chat completions, which most hosted and local model servers also speak. */
const openAiCompatible: ProviderProtocol = {
  request: (config, prompt) => ({
    url: `${config.baseUrl}/chat/completions`,
    init: {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${config.apiKey}` },
      body: JSON.stringify({
        model: config.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
      }),
    },
  }),
  text: (body) => {
    const choices = record(body)?.choices;
    const message = Array.isArray(choices) ? record(record(choices[0])?.message) : undefined;
    return typeof message?.content === 'string' ? message.content : undefined;
  },
};

/** Anthropic Messages API; the answer is the first text content block. */
const anthropic: ProviderProtocol = {
  request: (config, prompt) => ({
    url: `${config.baseUrl}/v1/messages`,
    init: {
      method: 'POST',
      headers: { ...json, 'x-api-key': config.apiKey, 'anthropic-version': ANTHROPIC_VERSION },
      body: JSON.stringify({
        model: config.model,
        max_tokens: LLM_MAX_TOKENS,
        temperature: 0,
        system: prompt.system,
        messages: [{ role: 'user', content: prompt.user }],
      }),
    },
  }),
  text: (body) => {
    const content = record(body)?.content;
    if (!Array.isArray(content)) return undefined;
    const block = content.map(record).find((b) => b?.type === 'text');
    return typeof block?.text === 'string' ? block.text : undefined;
  },
};

export const providers: Record<LlmProvider, ProviderProtocol> = {
  'openai-compatible': openAiCompatible,
  anthropic,
};
