/** In-app inbox. Modules call `notify` inside their own transaction so a notice exists iff the change does. */
import type { Executor } from '../db/client.ts';
import { notifications } from '../db/schema/index.ts';

export interface Notice {
  kind: string;
  title: string;
  body?: string;
  link?: string | null;
  entity?: string | null;
  entityId?: string | null;
}

/**
 * Outbound channels (e-mail, group robots) plug in here (module `notifications`, decision 0026): the hook queues
 * deliveries in the caller's transaction, so a delivery exists iff the notice does; workers send after commit.
 */
export interface NotificationChannels {
  enqueue(ex: Executor, userIds: readonly string[], notice: Notice): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

export class NotificationService {
  private channels: NotificationChannels | null = null;

  attachChannels(channels: NotificationChannels) {
    this.channels = channels;
  }

  /** Starts the delivery worker (main.ts, when this process runs jobs). */
  startChannels() {
    this.channels?.start();
  }

  async stopChannels() {
    await this.channels?.stop();
  }

  async notify(ex: Executor, userIds: readonly string[], notice: Notice): Promise<number> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return 0;
    await ex.insert(notifications).values(
      unique.map((userId) => ({
        userId,
        kind: notice.kind,
        title: notice.title,
        body: notice.body ?? '',
        link: notice.link ?? null,
        entity: notice.entity ?? null,
        entityId: notice.entityId ?? null,
      })),
    );
    if (this.channels) await this.channels.enqueue(ex, unique, notice);
    return unique.length;
  }
}
