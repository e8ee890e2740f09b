/** Only same-site paths ("/profile"), never "//evil.example", "/\\evil" or "https://…". */
export function safeRedirect(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) && !value.includes('\\')
    ? value
    : undefined;
}
