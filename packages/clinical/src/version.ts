/** Version of the engine's code; bump on any change of behaviour. */
export const ENGINE_VERSION = '1.0.0';
/** Version of the knowledge base (intervals, limits, rules, phrases): year.month-revision. */
export const KNOWLEDGE_BASE_VERSION = '2026.12-1';
