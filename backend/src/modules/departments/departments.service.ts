import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { findByIdOrFail } from '../../db/find.js';
import { ConflictError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Department } from './department.entity.js';
import {
  toDepartmentDto,
  type DepartmentDto,
  type DepartmentInput,
} from './departments.schemas.js';

export class DepartmentsService {
  constructor(private readonly em: EntityManager) {}

  async list(_actor: Actor): Promise<DepartmentDto[]> {
    const departments = await this.em.find(Department, {}, { orderBy: { name: 'asc' } });
    const counts = await this.countOperators(departments.map((department) => department.id));
    return departments.map((department) =>
      toDepartmentDto(department, counts.get(department.id) ?? 0),
    );
  }

  async create(actor: Actor, input: DepartmentInput): Promise<DepartmentDto> {
    const department = new Department(this.em.getReference(Tenant, actor.tenantId), input.name);
    await this.saveUniquely(department);
    return toDepartmentDto(department, 0);
  }

  async rename(_actor: Actor, id: string, input: DepartmentInput): Promise<DepartmentDto> {
    const department = await findByIdOrFail(this.em, Department, id, 'The department');
    department.name = input.name;
    await this.saveUniquely(department);
    const counts = await this.countOperators([department.id]);
    return toDepartmentDto(department, counts.get(department.id) ?? 0);
  }

  /** Operators keep their accounts and simply lose this membership. */
  async remove(_actor: Actor, id: string): Promise<void> {
    const department = await findByIdOrFail(this.em, Department, id, 'The department');
    await this.em.remove(department).flush();
  }

  private async saveUniquely(department: Department): Promise<void> {
    try {
      await this.em.persist(department).flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError(
          'DEPARTMENT_NAME_TAKEN',
          `A department named "${department.name}" already exists.`,
        );
      }
      throw error;
    }
  }

  /** The ids come from tenant-filtered queries, so the pivot needs no tenant condition. */
  private async countOperators(departmentIds: string[]): Promise<Map<string, number>> {
    if (departmentIds.length === 0) return new Map();
    const rows: { department_id: string; count: string }[] = await this.em.getConnection().execute(
      `select department_id, count(*) as count from user_department
         where department_id in (?) group by department_id`,
      [departmentIds],
    );
    return new Map(rows.map((row) => [row.department_id, Number(row.count)]));
  }
}
