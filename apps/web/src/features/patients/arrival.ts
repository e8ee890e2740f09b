/**
 * After creating a patient the app moves to the new record. Its page loads lazily, so it may not
 * be there yet when the layout moves focus after the navigation: the page takes focus itself.
 */
let pending: string | null = null;

export function focusOnArrival(patientId: string): void {
  pending = patientId;
}

/** True once for the patient just created (then forgotten). */
export function takeArrival(patientId: string): boolean {
  if (pending !== patientId) return false;
  pending = null;
  return true;
}
