export { createLlmClient, type EnrichResult, type LlmClient, type LlmLogger } from './client';
export {
  CONTACT_PLACEHOLDERS,
  deidentify,
  scrubContacts,
  type DeidentifiedCase,
} from './deidentify';
export {
  buildPrompt,
  ENRICHMENT_LIMITS,
  llmAnswer,
  type LlmAnswer,
  type LlmPrompt,
} from './prompt';
