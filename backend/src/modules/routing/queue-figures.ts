import type { EntityManager } from '@mikro-orm/postgresql';
import { rooms, type RealtimePublisher } from '../realtime/realtime.events.js';
import type { QueueFigures } from './routing.schemas.js';

/**
 * The live state of a tenant's queue: per department how many wait and since when, how many
 * are being served, who is online with how much room; and every operator's load (the
 * transfer dialog shows it). Read from PostgreSQL, so it is the same on every instance.
 */
export class QueueFiguresService {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async current(tenantId: string): Promise<QueueFigures> {
    const connection = this.em.getConnection();
    const operators = await connection.execute<
      {
        id: string;
        name: string;
        status: QueueFigures['operators'][number]['status'];
        load: string;
        capacity: number;
        department_ids: string[];
      }[]
    >(
      `select u.id, u.name, u.status,
         (select count(*) from conversation c where c.operator_id = u.id and c.status = 'assigned') as load,
         coalesce(u.max_chats, t.default_max_chats) as capacity,
         array(select department_id from user_department ud where ud.user_id = u.id) as department_ids
       from app_user u join tenant t on t.id = u.tenant_id
       where u.tenant_id = ? order by u.name, u.id`,
      [tenantId],
    );
    const conversations = await connection.execute<
      {
        department_id: string | null;
        status: string;
        count: string;
        oldest: Date | string | null;
      }[]
    >(
      `select department_id, status, count(*) as count, min(queued_at) as oldest
       from conversation where tenant_id = ? and status in ('queued', 'assigned')
       group by department_id, status`,
      [tenantId],
    );
    const departments = await connection.execute<{ id: string }[]>(
      'select id from department where tenant_id = ? order by lower(name)',
      [tenantId],
    );

    const operatorFigures = operators.map((operator) => ({
      id: operator.id,
      name: operator.name,
      status: operator.status,
      load: Number(operator.load),
      capacity: operator.capacity,
      departmentIds: operator.department_ids,
    }));
    const figuresOf = (departmentId: string | null) => {
      const row = (status: string) =>
        conversations.find((c) => c.department_id === departmentId && c.status === status);
      const serving = operatorFigures.filter(
        (operator) =>
          operator.status === 'online' &&
          (departmentId === null || operator.departmentIds.includes(departmentId)),
      );
      const oldest = row('queued')?.oldest;
      return {
        departmentId,
        waiting: Number(row('queued')?.count ?? 0),
        oldestQueuedAt: oldest ? new Date(oldest).toISOString() : null,
        inProgress: Number(row('assigned')?.count ?? 0),
        operatorsOnline: serving.length,
        freeSlots: serving.reduce((sum, o) => sum + Math.max(0, o.capacity - o.load), 0),
      };
    };
    return {
      at: this.clock().toISOString(),
      departments: [null, ...departments.map((department) => department.id)].map(figuresOf),
      operators: operatorFigures,
    };
  }
}

/** At most one `queue.updated` per tenant this often, however busy the queue is. */
export const QUEUE_FIGURES_INTERVAL_MS = 1_000;

/**
 * Pushes `queue.updated` to a tenant's panels after its queue changed: at once when it has
 * been quiet, else once at the end of the interval with the figures as they are then.
 */
export class QueueFiguresPublisher {
  private readonly lastSentAt = new Map<string, number>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly figures: Pick<QueueFiguresService, 'current'>,
    private readonly realtime: RealtimePublisher,
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  queueChanged(tenantId: string): void {
    if (this.pending.has(tenantId)) return;
    const wait =
      (this.lastSentAt.get(tenantId) ?? -Infinity) + QUEUE_FIGURES_INTERVAL_MS - this.now();
    this.pending.add(tenantId);
    setTimeout(() => void this.send(tenantId), Math.max(0, wait)).unref();
  }

  private async send(tenantId: string): Promise<void> {
    this.pending.delete(tenantId);
    this.lastSentAt.set(tenantId, this.now());
    try {
      this.realtime.publish(
        tenantId,
        rooms.tenant(tenantId),
        'queue.updated',
        await this.figures.current(tenantId),
      );
    } catch (error) {
      this.onError(error);
    }
  }
}
