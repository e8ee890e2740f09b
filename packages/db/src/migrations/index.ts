import type { Migration } from 'kysely';
import * as foundation from './2026-11-26T0900_foundation';

/**
 * Every migration, in order. Listed explicitly (not read from disk) so the set is the same under
 * tsx, vitest and a bundler; the key is the dated file name.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-26T0900_foundation': foundation,
};
