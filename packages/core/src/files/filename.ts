/**
 * A display name for an uploaded file from whatever the client called it: no directory parts, no
 * control or invisible characters, no characters Windows refuses, no reserved device names, no
 * leading dots; Unicode letters are kept (Cyrillic names are common). Used only for display and
 * as the download name, never as a path.
 */
const MAX_NAME = 200;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

export function sanitizeFileName(raw: string | undefined, fallbackExtension = ''): string {
  let name = (raw ?? '').normalize('NFC');
  // The last path segment only, whichever separator the client used.
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    // Control characters, bidirectional overrides and zero-width characters (they disguise
    // extensions: "invoice\u202Efdp.exe").
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  if (!name) name = `file${fallbackExtension ? `.${fallbackExtension}` : ''}`;
  if ([...name].length > MAX_NAME) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = [...name].slice(0, MAX_NAME - [...ext].length).join('') + ext;
  }
  return name;
}
