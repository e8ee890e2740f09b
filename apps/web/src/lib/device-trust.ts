/**
 * Health data stays off shared computers. Answers that carry health data (patients, their files,
 * analyses) may be kept in this browser's storage for offline reading only when the doctor said,
 * at sign-in or later on the profile page, that this is their own device. Otherwise they live in
 * memory only and are gone with the tab.
 *
 * This module holds the rule (which procedures are health data) and the doctor's choice; the
 * query client's persister (`query-client.ts`) applies both, and the session (`session.ts`)
 * clears what was kept when the session ends or another account signs in.
 */
import { useSyncExternalStore } from 'react';
import { safeStorage, STORAGE_KEYS } from './storage';

/**
 * tRPC procedure prefixes whose answers are health data. A new clinical domain joins the rule by
 * adding its prefix here; nothing else needs to change.
 */
export const HEALTH_DATA_PREFIXES: readonly string[] = ['patient.', 'file.', 'analysis.'];

/** Is `procedure` ("patient.get") one whose answers are health data? */
export function isHealthDataProcedure(procedure: string): boolean {
  return HEALTH_DATA_PREFIXES.some((prefix) => procedure.startsWith(prefix));
}

/** Health data kept on the device is never older than this, whatever the persister does. */
export const HEALTH_DATA_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** A clock that jumps back must not make old data look fresh for long. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** Was this answer (its `dataUpdatedAt`) received within the last 24 hours? */
export function isFreshHealthData(dataUpdatedAt: unknown, now: number = Date.now()): boolean {
  if (typeof dataUpdatedAt !== 'number' || !Number.isFinite(dataUpdatedAt) || dataUpdatedAt <= 0)
    return false;
  const age = now - dataUpdatedAt;
  return age <= HEALTH_DATA_MAX_AGE_MS && age >= -FUTURE_TOLERANCE_MS;
}

/**
 * The doctor's choice for the current sign-in, and the box's starting state at the next one.
 * Only the yes is stored ("true"); no, unset or unreadable storage all mean "not my device".
 */
export function isOwnDevice(): boolean {
  return safeStorage.get(STORAGE_KEYS.ownDevice) === 'true';
}

type Listener = (ownDevice: boolean) => void;
const listeners = new Set<Listener>();

/**
 * Storage keys of drafts that hold health data (a new analysis's entries) start with this; the
 * feature that writes them uses it, and the session and the device rule below remove them.
 */
export const HEALTH_DRAFT_PREFIX = 'medora.draft.analysis.';

/** Every health-data draft of every account, from this browser's storage. */
export function clearHealthDrafts(): void {
  try {
    const keys: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k?.startsWith(HEALTH_DRAFT_PREFIX)) keys.push(k);
    }
    for (const k of keys) safeStorage.remove(k);
  } catch {
    // Storage unavailable: nothing was kept there.
  }
}

/** Records the choice (at sign-in, or from the profile page) and tells the persister at once. */
export function setOwnDevice(ownDevice: boolean): void {
  if (ownDevice) safeStorage.set(STORAGE_KEYS.ownDevice, 'true');
  else {
    safeStorage.remove(STORAGE_KEYS.ownDevice);
    clearHealthDrafts();
  }
  for (const listener of listeners) listener(ownDevice);
}

/** Called on every change made in this tab (the persister strips or saves health data). */
export function onOwnDeviceChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function subscribe(notify: () => void): () => void {
  const offLocal = onOwnDeviceChange(notify);
  // Another tab of this browser changed it.
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEYS.ownDevice || event.key === null) notify();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    offLocal();
    window.removeEventListener('storage', onStorage);
  };
}

/** The current choice, kept up to date (the profile page's switch). */
export function useOwnDevice(): boolean {
  return useSyncExternalStore(subscribe, isOwnDevice, () => false);
}

/**
 * Does `value` hold file contents or a reference to them (Blob, bytes, a blob: or base64 data:
 * URL)? Such answers are never written to storage, health data or not.
 */
export function holdsAttachment(value: unknown, depth = 0): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return /^blob:/i.test(value) || /^data:[^,]*;base64,/i.test(value);
  if (typeof value !== 'object') return false;
  if (typeof Blob !== 'undefined' && value instanceof Blob) return true;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  // Deeper than any answer the API gives: refuse rather than walk on.
  if (depth > 12) return true;
  const children: unknown[] =
    value instanceof Map
      ? [...value.values()]
      : value instanceof Set
        ? [...value]
        : Array.isArray(value)
          ? value
          : Object.values(value);
  return children.some((child) => holdsAttachment(child, depth + 1));
}
