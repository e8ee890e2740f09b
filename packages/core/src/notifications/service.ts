import type { Db } from '@medora/db';
import {
  parseNotificationParams,
  type NotificationChannel,
  type NotificationListOutput,
  type NotificationMessage,
  type NotificationOutput,
} from '@medora/schema';
import type { Cache } from '../cache/index';
import type { NotificationsConfig } from '../config';
import { cancellableConnection } from '../db';
import { notFound } from '../errors';
import type { Logger } from '../logger';
import type { Scope } from '../scope';
import { createEmailSender, type EmailSender } from './email';
import { EskizError, EskizSmsSender, type SmsSender } from './eskiz';
import * as q from './queries';
import { renderNotification } from './texts';

export interface DeliveryResult {
  notificationId: string;
  channels: Partial<Record<NotificationChannel, 'sent' | 'failed' | 'skipped'>>;
}

/** Thrown by `deliver` after every channel was tried, when at least one failed (so it retries). */
export class DeliveryFailedError extends Error {
  override readonly name = 'DeliveryFailedError';
  constructor(readonly result: DeliveryResult) {
    super(
      `notification ${result.notificationId}: delivery failed on ${Object.entries(result.channels)
        .filter(([, s]) => s === 'failed')
        .map(([c]) => c)
        .join(', ')}`,
    );
  }
}

export interface NotificationSenders {
  email: EmailSender | null;
  sms: SmsSender | null;
}

/**
 * A user's notifications (per user, whatever the workspace: the session's user id scopes every
 * query) and their outbound delivery by e-mail and SMS.
 */
export class NotificationService {
  private readonly senders: NotificationSenders;

  constructor(
    private readonly db: Db,
    config: NotificationsConfig,
    cache: Cache,
    private readonly logger: Logger,
    senders?: Partial<NotificationSenders>,
  ) {
    this.senders = {
      email:
        senders?.email !== undefined
          ? senders.email
          : config.smtp && createEmailSender(config.smtp),
      sms:
        senders?.sms !== undefined
          ? senders.sms
          : config.eskiz && new EskizSmsSender(config.eskiz, cache),
    };
  }

  async list(
    scope: Pick<Scope, 'userId'>,
    input: { unreadOnly?: boolean | undefined; cursor?: string | undefined; limit: number },
    opts: { signal?: AbortSignal } = {},
  ): Promise<NotificationListOutput> {
    const page = await cancellableConnection(this.db, opts.signal, (conn) =>
      q.listForUser(conn, scope.userId, input),
    );
    return {
      items: page.rows.map((r): NotificationOutput => ({
        id: r.id,
        kind: r.kind,
        params: (r.params ?? {}) as Record<string, unknown>,
        createdAt: r.created_at,
        readAt: r.read_at,
        plan: r.plan,
        deliveries: r.deliveries,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * One notification (NOT_FOUND unless it is the caller's; marking a read one again is fine), or
   * all the caller's unread ones. Answers the unread count left, for the badge.
   */
  async markRead(scope: Pick<Scope, 'userId'>, id?: string): Promise<{ count: number }> {
    const { found } = await q.markRead(this.db, scope.userId, id);
    if (!found) throw notFound();
    return { count: await q.unreadCount(this.db, scope.userId) };
  }

  async unreadCount(scope: Pick<Scope, 'userId'>): Promise<{ count: number }> {
    return { count: await q.unreadCount(this.db, scope.userId) };
  }

  /**
   * Sends one notification on every outbound channel still pending (or failed before). Each
   * channel is tried and recorded on its own: a failing one never stops the others. A channel
   * that is not configured, or a user without that address, is `skipped`. Throws
   * DeliveryFailedError at the end when some channel failed, so the job is retried with
   * backoff; a channel already sent is never sent again.
   */
  async deliver(notificationId: string): Promise<DeliveryResult> {
    const result: DeliveryResult = { notificationId, channels: {} };
    const n = await q.loadForDelivery(this.db, notificationId);
    // Deleted with its user: nothing left to deliver.
    if (!n) return result;
    const channels = await q.pendingChannels(this.db, notificationId);
    if (channels.length === 0) return result;

    const params = parseNotificationParams(n.kind, n.params);
    const planCode =
      params && 'planCode' in params && typeof params.planCode === 'string'
        ? params.planCode
        : null;
    const names = planCode ? await q.planNames(this.db, planCode) : undefined;
    const text = params
      ? renderNotification({ kind: n.kind, params } as NotificationMessage, n.locale, {
          planNames: names ?? null,
        })
      : null;

    for (const channel of channels) {
      const skip = text
        ? !n.is_active
          ? 'user deactivated'
          : this.skipReason(channel, n)
        : 'params do not match the kind';
      if (skip) {
        await q.recordDelivery(this.db, notificationId, channel, {
          status: 'skipped',
          reason: skip,
        });
        result.channels[channel] = 'skipped';
        continue;
      }
      try {
        if (channel === 'email') {
          await this.senders.email!.send({
            to: n.email!,
            subject: text!.subject,
            text: text!.body,
          });
        } else {
          await this.senders.sms!.send(n.phone, text!.sms);
        }
        await q.recordDelivery(this.db, notificationId, channel, { status: 'sent' });
        result.channels[channel] = 'sent';
      } catch (err) {
        const error = deliveryError(err);
        await q.recordDelivery(this.db, notificationId, channel, { status: 'failed', error });
        result.channels[channel] = 'failed';
        this.logger.warn({ notificationId, channel, err: error }, 'notification delivery failed');
      }
    }
    if (Object.values(result.channels).includes('failed')) throw new DeliveryFailedError(result);
    return result;
  }

  private skipReason(
    channel: NotificationChannel,
    user: { email: string | null; phone: string },
  ): string | null {
    if (channel === 'email') {
      if (!this.senders.email) return 'e-mail not configured';
      if (!user.email) return 'no e-mail address';
      return null;
    }
    if (!this.senders.sms) return 'SMS not configured';
    if (!user.phone) return 'no phone number';
    return null;
  }

  close(): void {
    this.senders.email?.close();
  }
}

/**
 * What a failed send leaves in `last_error` and the log: the provider's status or error code,
 * never its message, which may quote the recipient's address or phone (nodemailer's do).
 */
export function deliveryError(err: unknown): string {
  if (err instanceof EskizError) return err.message;
  if (typeof err === 'object' && err !== null) {
    const { code, responseCode, name } = err as {
      code?: unknown;
      responseCode?: unknown;
      name?: unknown;
    };
    const parts = [
      typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : null,
      typeof responseCode === 'number' ? `SMTP ${responseCode}` : null,
    ].filter(Boolean);
    if (parts.length) return `send failed: ${parts.join(' ')}`;
    if (typeof name === 'string' && /^[A-Za-z]{1,40}$/.test(name)) return `send failed: ${name}`;
  }
  return 'send failed';
}
