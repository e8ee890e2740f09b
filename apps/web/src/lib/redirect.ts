/**
 * Only same-site paths ("/profile"), never "//evil.example", "/\\evil", "https://…", or paths
 * with control characters (browsers drop tabs and newlines, so "/\t/evil" would become "//evil").
 * The result must also resolve to this origin.
 */
export function safeRedirect(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!/^\/(?![/\\])/.test(value) || /[\\\u0000-\u001f\u007f]/.test(value)) return undefined;
  try {
    const base = 'https://medora.invalid';
    return new URL(value, base).origin === base ? value : undefined;
  } catch {
    return undefined;
  }
}
