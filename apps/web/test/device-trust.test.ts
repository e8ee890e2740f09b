// @vitest-environment jsdom
/**
 * Health data stays off shared computers: what the persister writes to localStorage, through the
 * app's own query client and persister, under each choice; what survives a restore; and what is
 * left after sign-out, a revoked session, another account signing in, and a change of mind.
 */
import { dehydrate, QueryClient } from '@tanstack/react-query';
import {
  persistQueryClientRestore,
  persistQueryClientSubscribe,
} from '@tanstack/react-query-persist-client';
import superjson from 'superjson';
import type { AuthOutput } from '@medora/schema';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  HEALTH_DATA_MAX_AGE_MS,
  HEALTH_DRAFT_PREFIX,
  HEALTH_DATA_PREFIXES,
  holdsAttachment,
  isHealthDataProcedure,
  isOwnDevice,
  setOwnDevice,
} from '../src/lib/device-trust';
import {
  adoptCacheFor,
  persistedOwner,
  persistOptions,
  queryClient,
  shouldPersistQuery,
} from '../src/lib/query-client';
import { endSession, setSessionEndedListener, signIn } from '../src/lib/session';
import { authStore } from '../src/lib/auth-store';
import { STORAGE_KEYS } from '../src/lib/storage';

const HOUR = 60 * 60 * 1000;
const DOCTOR_A = '0b9d6f36-6a55-4d43-9d36-1f0f3c2f0a11';
const DOCTOR_B = '7c1e2a40-2b5f-4f0e-8f55-4c3d2b1a0b22';
const PATIENT_ID = 'a5f0c3d2-1b4e-4c6a-9d8f-7e6d5c4b3a21';
const PATIENT_NAME = 'Gulnora Karimova';

// tRPC's query keys: [path, { input, type }].
const meKey = [['auth', 'me'], { type: 'query' }];
const patientKey = [['patient', 'get'], { input: { id: PATIENT_ID }, type: 'query' }];
const patientListKey = [['patient', 'list'], { input: { sort: 'recent' }, type: 'infinite' }];
const accessLogKey = [['patient', 'accessLog'], { input: { id: PATIENT_ID }, type: 'query' }];
const fileListKey = [['file', 'list'], { input: { patientId: PATIENT_ID }, type: 'query' }];
const analysisKey = [['analysis', 'get'], { input: { id: PATIENT_ID }, type: 'query' }];

const patient = { id: PATIENT_ID, firstName: 'Gulnora', lastName: 'Karimova' };

function auth(userId: string, name = 'Doctor'): AuthOutput {
  return {
    accessToken: 'access-token',
    accessTokenExpiresAt: new Date(Date.now() + 15 * 60 * 1000),
    user: { id: userId, phone: '+998901234567', name, role: 'doctor', locale: 'uz', email: null },
  };
}

const stored = () => localStorage.getItem(STORAGE_KEYS.queryCache) ?? '';
/** Every value this origin keeps in localStorage, drafts included. */
const everything = () => Object.values({ ...localStorage }).join('\n');

/** The procedures of the queries in storage now. */
function storedProcedures(): string[] {
  const raw = localStorage.getItem(STORAGE_KEYS.queryCache);
  if (!raw) return [];
  const client = superjson.parse<{
    clientState: { queries: { queryKey: [string[], unknown] }[] };
  }>(raw);
  return client.clientState.queries.map((q) => q.queryKey[0].join('.')).sort();
}

/** Lets the persister's throttled write (1 s) happen. */
async function flushWrites(): Promise<void> {
  await vi.advanceTimersByTimeAsync(1_100);
}

/** Opens what a doctor would open: the profile, a patient, its list, log, files and analysis. */
function viewPatient(client: QueryClient = queryClient, updatedAt?: number): void {
  const options = updatedAt === undefined ? undefined : { updatedAt };
  client.setQueryData(meKey, { user: { id: DOCTOR_A, name: 'Doctor A' } }, options);
  client.setQueryData(patientKey, patient, options);
  client.setQueryData(
    patientListKey,
    { pages: [{ items: [patient] }], pageParams: [null] },
    options,
  );
  client.setQueryData(accessLogKey, { items: [{ action: 'patient.get' }] }, options);
  client.setQueryData(fileListKey, { items: [{ id: 'f1', name: 'rentgen.png' }] }, options);
  client.setQueryData(analysisKey, { summary: 'Anemia' }, options);
}

let stopPersisting: () => void;

beforeAll(() => {
  // The app's own pipeline: its query client, dehydrate options, serializer and persister.
  stopPersisting = persistQueryClientSubscribe({
    ...persistOptions,
    queryClient,
  } as unknown as Parameters<typeof persistQueryClientSubscribe>[0]);
});
afterAll(() => stopPersisting());

beforeEach(async () => {
  vi.useFakeTimers({ now: new Date('2026-12-02T08:00:00Z') });
  setSessionEndedListener(() => {});
  localStorage.clear();
  await endSession('logout');
  await flushWrites();
  localStorage.clear();
  authStore.reset();
});

afterEach(async () => {
  // A write still pending under fake timers would never run, and the persister would wait for it.
  await flushWrites();
  vi.useRealTimers();
});

describe('the rule', () => {
  it('names patient, file and analysis procedures as health data, and nothing else', () => {
    expect(HEALTH_DATA_PREFIXES).toEqual(
      expect.arrayContaining(['patient.', 'file.', 'analysis.']),
    );
    for (const p of ['patient.list', 'patient.get', 'patient.accessLog', 'file.list', 'analysis.x'])
      expect(isHealthDataProcedure(p), p).toBe(true);
    for (const p of ['auth.me', 'auth.sessions.list', 'patients.list', 'profile.patient.get'])
      expect(isHealthDataProcedure(p), p).toBe(false);
  });

  it('is off until the doctor says this is their own device', () => {
    expect(isOwnDevice()).toBe(false);
    setOwnDevice(true);
    expect(localStorage.getItem(STORAGE_KEYS.ownDevice)).toBe('true');
    expect(isOwnDevice()).toBe(true);
    setOwnDevice(false);
    expect(isOwnDevice()).toBe(false);
    localStorage.setItem(STORAGE_KEYS.ownDevice, 'yes');
    expect(isOwnDevice()).toBe(false);
  });

  it('recognises attachments: blobs, bytes, blob: and base64 data: URLs, however deep', () => {
    expect(holdsAttachment({ items: [{ url: 'blob:https://medora.uz/1f2e' }] })).toBe(true);
    expect(holdsAttachment({ preview: 'data:image/png;base64,iVBORw0KGgo=' })).toBe(true);
    expect(holdsAttachment({ bytes: new Uint8Array([1, 2]) })).toBe(true);
    expect(holdsAttachment([{ file: new Blob(['x']) }])).toBe(true);
    expect(holdsAttachment(new Map([['a', new ArrayBuffer(4)]]))).toBe(true);
    expect(holdsAttachment({ name: 'rentgen.png', at: new Date(), size: 10 })).toBe(false);
  });
});

describe('on a computer that is not the doctor’s own', () => {
  it('never dehydrates health data; the profile is kept as before', async () => {
    await signIn(auth(DOCTOR_A), { ownDevice: false });
    viewPatient();
    const dehydrated = dehydrate(queryClient, {
      shouldDehydrateQuery: persistOptions.dehydrateOptions!.shouldDehydrateQuery as never,
    });
    expect(dehydrated.queries.map((q) => q.queryKey[0])).toEqual([['auth', 'me']]);

    await flushWrites();
    expect(storedProcedures()).toEqual(['auth.me']);
    expect(stored()).not.toContain(PATIENT_NAME.split(' ')[0]);
    expect(stored()).not.toContain(PATIENT_ID);
    // …while the session keeps them in memory.
    expect(queryClient.getQueryData(patientKey)).toEqual(patient);
  });
});

describe('on the doctor’s own device', () => {
  it('persists patient, file and analysis answers, and restores them', async () => {
    await signIn(auth(DOCTOR_A), { ownDevice: true });
    viewPatient();
    await flushWrites();
    expect(storedProcedures()).toEqual([
      'analysis.get',
      'auth.me',
      'file.list',
      'patient.accessLog',
      'patient.get',
      'patient.list',
    ]);
    expect(persistedOwner()).toBe(DOCTOR_A);

    const reloaded = new QueryClient();
    await persistQueryClientRestore({ ...persistOptions, queryClient: reloaded } as never);
    expect(reloaded.getQueryData(patientKey)).toEqual(patient);
  });

  it('drops answers older than 24 hours, when writing and when restoring', async () => {
    await signIn(auth(DOCTOR_A), { ownDevice: true });
    const now = Date.now();
    viewPatient(queryClient, now - HEALTH_DATA_MAX_AGE_MS - 1);
    expect(shouldPersistQuery(queryClient.getQueryCache().find({ queryKey: patientKey })!)).toBe(
      false,
    );
    await flushWrites();
    expect(storedProcedures()).not.toContain('patient.get');

    // Fresh when written, then the device stays off for a day: the persister's own maxAge is
    // counted from the last write, so a write a minute ago must not keep day-old answers.
    viewPatient(queryClient, now);
    await flushWrites();
    expect(storedProcedures()).toContain('patient.get');
    vi.setSystemTime(now + 25 * HOUR);
    const raw = superjson.parse<{ timestamp: number }>(stored());
    raw.timestamp = Date.now() - 60_000;
    localStorage.setItem(STORAGE_KEYS.queryCache, superjson.stringify(raw));
    const reloaded = new QueryClient();
    await persistQueryClientRestore({ ...persistOptions, queryClient: reloaded } as never);
    expect(reloaded.getQueryData(patientKey)).toBeUndefined();
    expect(reloaded.getQueryData(meKey)).toBeDefined();
  });

  it('never persists attachments', async () => {
    await signIn(auth(DOCTOR_A), { ownDevice: true });
    queryClient.setQueryData(fileListKey, { items: [{ id: 'f1', url: 'blob:http://x/1' }] });
    queryClient.setQueryData(patientKey, { ...patient, photo: new Uint8Array([137, 80]) });
    await flushWrites();
    expect(storedProcedures()).toEqual([]);
  });

  it('removes stored health data at once when the doctor turns the choice off', async () => {
    await signIn(auth(DOCTOR_A), { ownDevice: true });
    viewPatient();
    await flushWrites();
    expect(stored()).toContain(PATIENT_ID);

    setOwnDevice(false);
    // No waiting for the next write.
    expect(stored()).not.toContain(PATIENT_ID);
    expect(storedProcedures()).toEqual(['auth.me']);
    expect(queryClient.getQueryData(patientKey)).toEqual(patient);
  });

  it('does not write a snapshot taken before the choice was turned off', async () => {
    await signIn(auth(DOCTOR_A), { ownDevice: true });
    viewPatient();
    // The throttled write is pending with a snapshot that still holds the patient.
    setOwnDevice(false);
    await flushWrites();
    expect(stored()).not.toContain(PATIENT_ID);
  });

  it('keeps what is open when the doctor turns the choice on later', async () => {
    await signIn(auth(DOCTOR_A), { ownDevice: false });
    viewPatient();
    await flushWrites();
    expect(stored()).not.toContain(PATIENT_ID);
    setOwnDevice(true);
    await flushWrites();
    expect(stored()).toContain(PATIENT_ID);
  });
});

describe('clearing', () => {
  async function withPatientStored(): Promise<void> {
    await signIn(auth(DOCTOR_A), { ownDevice: true });
    viewPatient();
    // A new analysis's draft, kept on this device (as the analyses feature writes it).
    localStorage.setItem(
      `${HEALTH_DRAFT_PREFIX}${DOCTOR_A}.${PATIENT_ID}`,
      JSON.stringify({ complaints: 'draft-complaint' }),
    );
    await flushWrites();
    expect(stored()).toContain(PATIENT_ID);
    expect(everything()).toContain('draft-complaint');
  }

  it.each([
    ['signing out', () => endSession('logout')],
    ['a session revoked elsewhere', () => endSession('expired', 'user_revoked')],
    ['a changed password', () => endSession('expired', 'password_changed')],
  ])('forgets everything on %s', async (_what, end) => {
    await withPatientStored();
    const left = vi.fn();
    setSessionEndedListener(left);
    await end();
    expect(left).toHaveBeenCalledOnce();
    expect(stored()).not.toContain(PATIENT_ID);
    expect(everything()).not.toContain('draft-complaint');
    expect(queryClient.getQueryData(patientKey)).toBeUndefined();
    // Nor does the pending write bring it back.
    await flushWrites();
    expect(stored()).not.toContain(PATIENT_ID);
    expect(stored()).not.toContain('Doctor A');
    // Not even which account used this browser.
    expect(stored()).not.toContain(DOCTOR_A);
    expect(persistedOwner()).toBeNull();
  });

  it('forgets the first account’s data when another account signs in', async () => {
    await withPatientStored();
    // Doctor A's tab closed without signing out; doctor B signs in on the same browser.
    const seenWhenSignedIn: string[] = [];
    const unsubscribe = authStore.subscribe(() => {
      if (authStore.get().status === 'signedIn') seenWhenSignedIn.push(stored());
    });
    await signIn(auth(DOCTOR_B), { ownDevice: true });
    unsubscribe();
    // Cleared before the new session was visible to any page.
    expect(seenWhenSignedIn.join('')).not.toContain(PATIENT_ID);
    expect(everything()).not.toContain('draft-complaint');
    expect(stored()).not.toContain(PATIENT_ID);
    expect(queryClient.getQueryData(patientKey)).toBeUndefined();
    await flushWrites();
    expect(stored()).not.toContain(PATIENT_ID);
  });

  it('forgets data saved by another account when a session starts (reload)', async () => {
    await withPatientStored();
    // What a reload restores, then the start-up refresh names doctor B.
    const restored = new QueryClient();
    await persistQueryClientRestore({ ...persistOptions, queryClient: restored } as never);
    expect(restored.getQueryData(patientKey)).toEqual(patient);
    await adoptCacheFor(DOCTOR_B);
    expect(stored()).not.toContain(PATIENT_ID);
    expect(persistedOwner()).toBeNull();
  });

  it('keeps the data of the account that saved it', async () => {
    await withPatientStored();
    await adoptCacheFor(DOCTOR_A);
    expect(stored()).toContain(PATIENT_ID);
    expect(queryClient.getQueryData(patientKey)).toEqual(patient);
  });

  it('keeps no health data after a sign-in without the choice, even by the same account', async () => {
    await withPatientStored();
    await signIn(auth(DOCTOR_A), { ownDevice: false });
    expect(stored()).not.toContain(PATIENT_ID);
    viewPatient();
    await flushWrites();
    expect(stored()).not.toContain(PATIENT_ID);
    expect(storedProcedures()).toEqual(['auth.me']);
  });
});
