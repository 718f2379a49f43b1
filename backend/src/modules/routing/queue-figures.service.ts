import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn } from '../../db/sql.js';
import { isOpenAt } from '../departments/business-hours.js';
import { DepartmentsRepository } from '../departments/departments.repository.js';
import { RoutingRepository } from './routing.repository.js';
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
    const repository = new RoutingRepository(sqlIn(this.em));
    const operators = await repository.operatorLoads(tenantId, null);
    const conversations = await repository.openConversationCounts(tenantId);
    const departments = await repository.departmentIds(tenantId);
    const hours = await new DepartmentsRepository(sqlIn(this.em)).hoursOf(tenantId);
    const now = this.clock();

    const operatorFigures = operators.map((operator) => ({
      id: operator.id,
      name: operator.name,
      status: operator.status,
      load: operator.load,
      capacity: operator.capacity,
      departmentIds: operator.departmentIds,
    }));
    const figuresOf = (departmentId: string | null) => {
      const row = (status: string) =>
        conversations.find((c) => c.departmentId === departmentId && c.status === status);
      const serving = operatorFigures.filter(
        (operator) =>
          operator.status === 'online' &&
          (departmentId === null || operator.departmentIds.includes(departmentId)),
      );
      return {
        departmentId,
        waiting: row('queued')?.count ?? 0,
        oldestQueuedAt: row('queued')?.oldestQueuedAt?.toISOString() ?? null,
        inProgress: row('assigned')?.count ?? 0,
        operatorsOnline: serving.length,
        freeSlots: serving.reduce((sum, o) => sum + Math.max(0, o.capacity - o.load), 0),
        open: departmentId === null || isOpenAt(hours.get(departmentId) ?? null, now),
      };
    };
    return {
      at: now.toISOString(),
      departments: [null, ...departments].map(figuresOf),
      operators: operatorFigures,
    };
  }
}
