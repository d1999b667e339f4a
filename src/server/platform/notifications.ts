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

export class NotificationService {
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
    return unique.length;
  }
}
