/**
 * React Aria adds a `<style>` element for `touch-action` on pressable elements unless an element
 * with its id already exists. The app's CSP (`style-src 'self'`) refuses inline styles, so the
 * same rule lives in styles.css and this marker tells React Aria not to try. Imported by every
 * UI-kit module that renders pressable elements.
 */
const PRESSABLE_STYLE_ID = 'react-aria-pressable-style';

if (typeof document !== 'undefined' && !document.getElementById(PRESSABLE_STYLE_ID)) {
  const marker = document.createElement('meta');
  marker.id = PRESSABLE_STYLE_ID;
  marker.name = 'react-aria-pressable-style';
  marker.content = 'in styles.css';
  document.head.append(marker);
}

export {};
