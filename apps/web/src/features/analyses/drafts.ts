/**
 * Drafts of a new analysis hold health data (complaints, lab values), so they follow the device
 * rule: in localStorage only on a device the doctor marked as their own (and for at most 24 hours),
 * otherwise in this tab's memory only, gone on reload. They are removed when the device stops
 * being trusted and when the session ends.
 */
import { authStore } from '../../lib/auth-store';
import {
  clearHealthDrafts,
  HEALTH_DATA_MAX_AGE_MS,
  HEALTH_DRAFT_PREFIX,
  isOwnDevice,
  onOwnDeviceChange,
} from '../../lib/device-trust';
import { safeStorage } from '../../lib/storage';

export interface LabRowDraft {
  /** Stable row id for React keys and input ids. */
  key: string;
  code: string;
  unit: string;
  value: string;
  referenceLow: string;
  referenceHigh: string;
}

export interface AnalysisDraft {
  idempotencyKey: string;
  complaints: string;
  history: string;
  medications: string;
  vitals: Record<VitalField, string>;
  weightKg: string;
  heightCm: string;
  pregnant: boolean;
  labs: LabRowDraft[];
  attachmentIds: string[];
}

export const vitalFields = [
  'systolicBp',
  'diastolicBp',
  'heartRate',
  'respiratoryRate',
  'temperatureC',
  'spo2',
] as const;
export type VitalField = (typeof vitalFields)[number];

const PREFIX = HEALTH_DRAFT_PREFIX;
const memory = new Map<string, string>();

const newKey = () => crypto.randomUUID();

export function emptyLabRow(): LabRowDraft {
  return { key: newKey(), code: '', unit: '', value: '', referenceLow: '', referenceHigh: '' };
}

export function emptyDraft(): AnalysisDraft {
  return {
    idempotencyKey: newKey(),
    complaints: '',
    history: '',
    medications: '',
    vitals: Object.fromEntries(vitalFields.map((f) => [f, ''])) as Record<VitalField, string>,
    weightKg: '',
    heightCm: '',
    pregnant: false,
    labs: [emptyLabRow()],
    attachmentIds: [],
  };
}

function keyFor(patientId: string): string {
  return `${PREFIX}${authStore.get().user?.id ?? 'anonymous'}.${patientId}`;
}

/** Is there anything the doctor typed (a fresh draft is not worth keeping)? */
export function hasContent(d: AnalysisDraft): boolean {
  return (
    !!(d.complaints || d.history || d.medications || d.weightKg || d.heightCm || d.pregnant) ||
    Object.values(d.vitals).some(Boolean) ||
    d.labs.some((l) => l.code || l.value) ||
    d.attachmentIds.length > 0
  );
}

export function readAnalysisDraft(patientId: string, now = Date.now()): AnalysisDraft | null {
  const key = keyFor(patientId);
  const raw = isOwnDevice() ? safeStorage.get(key) : memory.get(key);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as { savedAt: number; draft: AnalysisDraft };
    if (typeof parsed.savedAt !== 'number' || now - parsed.savedAt > HEALTH_DATA_MAX_AGE_MS)
      return null;
    const base = emptyDraft();
    const d = parsed.draft;
    return {
      ...base,
      ...d,
      vitals: { ...base.vitals, ...d.vitals },
      labs: Array.isArray(d.labs) && d.labs.length > 0 ? d.labs : base.labs,
      attachmentIds: Array.isArray(d.attachmentIds) ? d.attachmentIds : [],
    };
  } catch {
    return null;
  }
}

export function writeAnalysisDraft(patientId: string, draft: AnalysisDraft): void {
  const key = keyFor(patientId);
  if (!hasContent(draft)) return clearAnalysisDraft(patientId);
  const raw = JSON.stringify({ savedAt: Date.now(), draft });
  if (isOwnDevice()) safeStorage.set(key, raw);
  else memory.set(key, raw);
}

export function clearAnalysisDraft(patientId: string): void {
  const key = keyFor(patientId);
  memory.delete(key);
  safeStorage.remove(key);
}

/** Every analysis draft of every account, from storage and memory. */
export function clearAllAnalysisDrafts(): void {
  memory.clear();
  clearHealthDrafts();
}

let watching = false;
/** Drafts leave the disk when the device stops being trusted, and everywhere on sign-out. */
export function watchDraftRules(): void {
  if (watching) return;
  watching = true;
  onOwnDeviceChange((own) => {
    if (!own) clearAllAnalysisDrafts();
  });
  authStore.subscribe(() => {
    if (authStore.get().status === 'signedOut') clearAllAnalysisDrafts();
  });
}
