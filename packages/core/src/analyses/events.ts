import { EventEmitter } from 'node:events';
import { analysisStatuses } from '@medora/schema';
import pg from 'pg';
import { z } from 'zod';
import type { Logger } from '../logger';

/** What the worker announces with pg_notify at commit: ids and status, never clinical data. */
export const statusNotice = z.object({
  id: z.uuid(),
  workspaceId: z.uuid(),
  status: z.enum(analysisStatuses),
});
export type StatusNotice = z.infer<typeof statusNotice>;

const CHANNEL = 'analysis_status';

/**
 * One LISTEN connection per process, shared by every live-status subscriber in it. Each server
 * instance listens for itself, so a status the worker commits reaches every instance's clients.
 * The connection opens with the first subscriber and reconnects after a loss; a subscriber
 * re-reads the row after (re)connecting (see `ready`), so no notice missed meanwhile matters.
 */
export class AnalysisEvents {
  private readonly emitter = new EventEmitter();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connectionString: string | undefined,
    private readonly logger: Logger,
  ) {
    // Many subscribers (one per open report) are expected; this is not a leak.
    this.emitter.setMaxListeners(0);
  }

  /** Calls `listener` for each notice about analysis `id` until the returned function is called. */
  subscribe(id: string, listener: (notice: StatusNotice) => void): () => void {
    this.emitter.on(id, listener);
    return () => this.emitter.off(id, listener);
  }

  /** Every notice, e.g. to drop a workspace's cached statistics when an analysis completes. */
  onAny(listener: (notice: StatusNotice) => void): () => void {
    this.emitter.on('*', listener);
    return () => this.emitter.off('*', listener);
  }

  /** Resolves once this process listens (at once when it already does). */
  ready(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (!this.connectionString) throw new Error('analysis events need a database URL');
    this.stopped = false;
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'medora-analysis-events',
    });
    client.on('notification', (msg) => this.deliver(msg.payload));
    client.on('error', (err) => {
      this.logger.warn({ err }, 'analysis status listener lost its connection');
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
    this.client = client;
  }

  private lost(client: pg.Client) {
    if (this.client !== client) return;
    this.client = null;
    this.scheduleReconnect();
  }

  /** Reconnects after a second, and again after each failure, while anyone still subscribes. */
  private scheduleReconnect() {
    if (this.stopped || this.retryTimer || this.emitter.eventNames().length === 0) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.ready().catch((err: unknown) => {
        this.logger.warn({ err }, 'analysis status listener could not reconnect');
        this.scheduleReconnect();
      });
    }, 1000);
    this.retryTimer.unref();
  }

  private deliver(payload: string | undefined) {
    let parsed: StatusNotice;
    try {
      parsed = statusNotice.parse(JSON.parse(payload ?? ''));
    } catch {
      return; // Not ours or malformed: nothing to tell anyone.
    }
    this.emitter.emit(parsed.id, parsed);
    this.emitter.emit('*', parsed);
  }
}
