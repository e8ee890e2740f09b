/**
 * Form drafts kept in localStorage until the form is sent successfully. Only the fields a caller
 * names are stored, so passwords never reach the disk.
 */
import { useCallback, useEffect, useRef } from 'react';
import { safeStorage } from './storage';

export function readDraft<T extends Record<string, string>>(
  key: string,
  fields: readonly (keyof T)[],
): Partial<T> {
  const raw = safeStorage.get(key);
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: Partial<T> = {};
    for (const field of fields) {
      const value = (parsed as Record<string, unknown>)[field as string];
      if (typeof value === 'string') out[field] = value as T[keyof T];
    }
    return out;
  } catch {
    return {};
  }
}

export function writeDraft(key: string, values: Record<string, string>): void {
  const nonEmpty = Object.values(values).some((v) => v !== '');
  if (nonEmpty) safeStorage.set(key, JSON.stringify(values));
  else safeStorage.remove(key);
}

export function clearDraft(key: string): void {
  safeStorage.remove(key);
}

/**
 * Keeps `saved` stored under `key` whenever it changes. Returns `clear`, to be called after a
 * successful submit: the stored draft is removed and not written again until the values change.
 */
export function useDraftPersistence(key: string, saved: Record<string, string>): () => void {
  const serialized = JSON.stringify(saved);
  const latest = useRef(serialized);
  const clearedAt = useRef<string | null>(null);
  useEffect(() => {
    latest.current = serialized;
    if (clearedAt.current === serialized) return;
    clearedAt.current = null;
    writeDraft(key, JSON.parse(serialized) as Record<string, string>);
  }, [key, serialized]);
  return useCallback(() => {
    clearedAt.current = latest.current;
    clearDraft(key);
  }, [key]);
}
