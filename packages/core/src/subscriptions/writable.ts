import { AppError } from '../errors';
import type { Executor } from '../db';
import type { TenantScope } from '../scope';
import { allowanceOf } from '../usage/queries';

/**
 * The read-only rule: clinical data (patients, attachments, analyses and their feedback) may be
 * created or changed only while the workspace may analyse — trialing or active and before its
 * end, by the database's clock (the expiry job need not have run). Reads, the account and paying
 * stay open, so an expired doctor never loses their records.
 */
export async function assertWritable(db: Executor, scope: TenantScope): Promise<void> {
  if (!(await allowanceOf(db, scope)).usable)
    throw new AppError('FORBIDDEN', 'SUBSCRIPTION_INACTIVE');
}
