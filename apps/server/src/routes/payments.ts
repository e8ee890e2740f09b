import { AppError, notFound, type Services } from '@medora/core';
import contentDisposition from 'content-disposition';
import { z } from 'zod';
import type { ServerRouter } from '../app';
import { callerScope } from './files';

const paymentId = z.uuid();

/**
 * `GET /api/admin/payments/:id/receipt`: the receipt of a payment, for the admin's review, shown
 * inline (the console previews it). Only an administrator whose session passed the second
 * factor; the workspace is any (admins review every workspace's payments).
 */
export function paymentRoutes(router: ServerRouter, services: Services): void {
  router.get('/api/admin/payments/:id/receipt', async (ctx) => {
    ctx.state.route = 'GET /api/admin/payments/:id/receipt';
    const { scope, secondFactor } = await callerScope(services, ctx);
    if (scope.role !== 'admin') throw new AppError('FORBIDDEN', 'FORBIDDEN');
    if (!secondFactor) throw new AppError('FORBIDDEN', 'SECOND_FACTOR_REQUIRED');
    const id = paymentId.safeParse(ctx.params.id);
    if (!id.success) throw notFound();
    const file = await services.payments.receipt({ ...scope, role: 'admin' }, id.data);
    ctx.set('Content-Type', file.mime);
    ctx.set('Content-Length', String(file.size));
    ctx.set('Content-Disposition', contentDisposition(file.name, { type: 'inline' }));
    // Money and a doctor's name: never kept by any cache, and nothing in it may ever run.
    ctx.set('Cache-Control', 'private, no-store');
    ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; sandbox");
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = file.stream;
  });
}
