/**
 * The plans editor's form values and their conversion to the API's units (kept apart from the
 * page so the arithmetic is tested on its own).
 */
import { z } from 'zod';
import { adminPlanCreateInput, type PlanOutput } from '@medora/schema';
import type { ParsedError } from '../../lib/errors';

export const MB = 1024 ** 2;
export const GB = 1024 ** 3;

const shape = adminPlanCreateInput.shape;

/**
 * What the admin types, in their units: the price in soʻm (stored as tiyin), the storage in MB or
 * GB (stored as bytes), "unlimited" as a checkbox (stored as null). Converted on submit; the
 * server's field errors are mapped back onto these fields.
 */
export const planFormSchema = z
  .object({
    code: shape.code,
    names: shape.names,
    priceSum: z
      .number({ message: 'invalid_type' })
      .min(0, { message: 'invalid' })
      .max(1_000_000_000, { message: 'invalid' })
      .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, { message: 'invalid' }),
    durationDays: shape.durationDays,
    unlimited: z.boolean(),
    limit: z.number({ message: 'invalid_type' }).or(z.nan()),
    storageAmount: z
      .number({ message: 'invalid_type' })
      .min(0, { message: 'invalid' })
      .max(10 * 1024, { message: 'invalid' }),
    storageUnit: z.enum(['MB', 'GB']),
    sortOrder: shape.sortOrder,
  })
  .superRefine((v, ctx) => {
    if (v.unlimited) return;
    if (Number.isNaN(v.limit))
      ctx.addIssue({ code: 'custom', path: ['limit'], message: 'required' });
    else if (!Number.isInteger(v.limit) || v.limit < 0 || v.limit > 1_000_000)
      ctx.addIssue({ code: 'custom', path: ['limit'], message: 'invalid' });
  });
export type PlanFormValues = z.input<typeof planFormSchema>;

export function toApi(v: z.output<typeof planFormSchema>) {
  return {
    names: v.names,
    priceTiyin: Math.round(v.priceSum * 100),
    durationDays: v.durationDays,
    maxAnalysesPerMonth: v.unlimited ? null : v.limit,
    storageQuotaBytes: Math.round(v.storageAmount * (v.storageUnit === 'GB' ? GB : MB)),
    sortOrder: v.sortOrder,
  };
}

export function fromPlan(plan: PlanOutput | null): PlanFormValues {
  if (!plan) {
    return {
      code: '',
      names: { uz: '', ru: '', en: '' },
      priceSum: Number.NaN,
      durationDays: 30,
      unlimited: false,
      limit: Number.NaN,
      storageAmount: 1,
      storageUnit: 'GB',
      sortOrder: 0,
    };
  }
  // In GB when that is a round number to one decimal (1 GB, 2.5 GB), else in MB.
  const tenthsOfGb = (plan.storageQuotaBytes / GB) * 10;
  const inGb = plan.storageQuotaBytes >= GB && Math.abs(tenthsOfGb - Math.round(tenthsOfGb)) < 1e-9;
  return {
    code: plan.code,
    names: { ...plan.names },
    priceSum: plan.priceTiyin / 100,
    durationDays: plan.durationDays,
    unlimited: plan.maxAnalysesPerMonth === null,
    limit: plan.maxAnalysesPerMonth ?? Number.NaN,
    storageAmount: inGb ? plan.storageQuotaBytes / GB : Math.round(plan.storageQuotaBytes / MB),
    storageUnit: inGb ? 'GB' : 'MB',
    sortOrder: plan.sortOrder,
  };
}

const serverToForm: Record<string, string> = {
  priceTiyin: 'priceSum',
  maxAnalysesPerMonth: 'limit',
  storageQuotaBytes: 'storageAmount',
};

export function mapPlanError(parsed: ParsedError): ParsedError {
  const fieldErrors: ParsedError['fieldErrors'] = {};
  for (const [path, codes] of Object.entries(parsed.fieldErrors))
    fieldErrors[serverToForm[path] ?? path] = codes;
  return { ...parsed, fieldErrors };
}
