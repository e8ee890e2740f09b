/** localStorage that never throws (private mode, quota, disabled storage). */
export const safeStorage = {
  get(key: string): string | null {
    try {
      return globalThis.localStorage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  },
  set(key: string, value: string): void {
    try {
      globalThis.localStorage?.setItem(key, value);
    } catch {
      // Nothing to do: the value is only a convenience.
    }
  },
  remove(key: string): void {
    try {
      globalThis.localStorage?.removeItem(key);
    } catch {
      // Ignore.
    }
  },
};

export const STORAGE_KEYS = {
  locale: 'medora.locale',
  queryCache: 'medora.query-cache',
  draftRegister: 'medora.draft.register',
  draftProfile: 'medora.draft.profile',
  /** "true" when the doctor said at sign-in that this browser is their own device. */
  ownDevice: 'medora.own-device',
} as const;
