import type { Db } from '@medora/db';
import type { MeOutput, UserOutput } from '@medora/schema';
import type { AuditService } from '../audit/index';
import { unauthenticated } from '../errors';
import type { Scope } from '../scope';
import type { SessionContext } from '../sessions/service';
import * as users from '../users/queries';
import type { WorkspaceService } from '../workspaces/service';

type ProfileChanges = {
  name?: string | undefined;
  locale?: UserOutput['locale'] | undefined;
  /** null removes the address. */
  email?: string | null | undefined;
};

/** The signed-in user's own account: who they are, their workspace, their name and language. */
export class ProfileService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly workspaces: WorkspaceService,
  ) {}

  async me(session: SessionContext): Promise<MeOutput> {
    // The session was read from the database for this very request: no second user query.
    const user: UserOutput = {
      id: session.userId,
      phone: session.phone,
      name: session.name,
      role: session.role,
      locale: session.locale,
      email: session.email,
    };
    if (!session.workspaceId) return { user, workspace: null, subscription: null };
    const { workspace, subscription } = await this.workspaces.summary({
      workspaceId: session.workspaceId,
    });
    return {
      user,
      workspace: { ...workspace, role: session.workspaceRole ?? 'doctor' },
      subscription,
    };
  }

  async update(scope: Scope, input: ProfileChanges): Promise<UserOutput> {
    return this.db.transaction().execute(async (trx) => {
      const user = await users.updateProfile(trx, scope.userId, input);
      if (!user) throw unauthenticated();
      await this.audit.record(
        scope,
        {
          action: 'user.update_profile',
          outcome: 'success',
          entityType: 'user',
          entityId: scope.userId,
          meta: { fields: Object.keys(input).join(',') },
        },
        trx,
      );
      return user;
    });
  }
}
