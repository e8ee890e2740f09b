import type { Db } from '@medora/db';
import { describe, expect, it } from 'vitest';
import type { Trx } from '../src/db';
import type { DoctorScope, Scope } from '../src/scope';
import { lockLiveFamilies } from '../src/sessions/queries';
import type { WorkspaceService } from '../src/workspaces/service';

/**
 * Rules the compiler enforces. The `@ts-expect-error` lines fail `npm run typecheck` the moment
 * the rule they show stops holding (the error they expect disappears).
 */
describe('types', () => {
  it('a row-locking query takes a transaction, not the database', () => {
    const misuse = (db: Db, trx: Trx) => {
      // @ts-expect-error: FOR UPDATE outside a transaction does not compile.
      void lockLiveFamilies(db, 'user');
      void lockLiveFamilies(trx, 'user');
    };
    expect(misuse).toBeTypeOf('function');
  });

  it('a tenant query needs the workspace id the session gave, not an optional one', () => {
    const misuse = (workspaces: WorkspaceService, scope: Scope, doctor: DoctorScope) => {
      // @ts-expect-error: a scope whose workspace may be null cannot reach tenant data.
      void workspaces.summary(scope);
      void workspaces.summary(doctor);
    };
    expect(misuse).toBeTypeOf('function');
  });
});
