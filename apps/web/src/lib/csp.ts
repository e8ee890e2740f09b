/**
 * Keeps libraries within the app's Content Security Policy (`script-src 'self'`,
 * `style-src 'self'`: no eval, no inline styles), so the browser never reports a violation.
 * Imported first by main.tsx, before any lazily loaded chunk brings zod or React Aria.
 */

// zod probes `new Function` (to compile fast parsers) when a schema is created, unless its global
// config says `jitless`. The config lives on globalThis so it can be set before zod loads.
const zodConfig = globalThis as { __zod_globalConfig?: Record<string, unknown> };
zodConfig.__zod_globalConfig = { ...zodConfig.__zod_globalConfig, jitless: true };

// React Aria adds a `<style>` element for `touch-action` on pressable elements unless an element
// with its id already exists. The same rule lives in styles.css; this marker says so.
const PRESSABLE_STYLE_ID = 'react-aria-pressable-style';
if (typeof document !== 'undefined' && !document.getElementById(PRESSABLE_STYLE_ID)) {
  const marker = document.createElement('meta');
  marker.id = PRESSABLE_STYLE_ID;
  marker.name = 'react-aria-pressable-style';
  marker.content = 'in styles.css';
  document.head.append(marker);
}

export {};
