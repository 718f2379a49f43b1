import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { findByIdOrFail } from '../../db/find.js';
import { sqlIn } from '../../db/sql.js';
import { ConflictError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { isOpenAt } from './business-hours.js';
import {
  toBusinessHoursDto,
  type BusinessHoursDto,
  type BusinessHoursInput,
} from './business-hours.schemas.js';
import { Department } from './department.entity.js';
import { DepartmentsRepository } from './departments.repository.js';
import {
  toDepartmentDto,
  type DepartmentDto,
  type DepartmentInput,
} from './departments.schemas.js';

export class DepartmentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async list(actor: Actor): Promise<DepartmentDto[]> {
    const departments = await this.em.find(Department, {}, { orderBy: { name: 'asc' } });
    const counts = await this.countOperators(
      actor.tenantId,
      departments.map((department) => department.id),
    );
    return departments.map((department) =>
      toDepartmentDto(department, counts.get(department.id) ?? 0, this.clock()),
    );
  }

  async create(actor: Actor, input: DepartmentInput): Promise<DepartmentDto> {
    const department = new Department(this.em.getReference(Tenant, actor.tenantId), input.name);
    await this.saveUniquely(department);
    return toDepartmentDto(department, 0, this.clock());
  }

  async rename(actor: Actor, id: string, input: DepartmentInput): Promise<DepartmentDto> {
    const department = await findByIdOrFail(this.em, Department, id, 'The department');
    department.name = input.name;
    await this.saveUniquely(department);
    const counts = await this.countOperators(actor.tenantId, [department.id]);
    return toDepartmentDto(department, counts.get(department.id) ?? 0, this.clock());
  }

  /** Operators keep their accounts and simply lose this membership. */
  async remove(_actor: Actor, id: string): Promise<void> {
    const department = await findByIdOrFail(this.em, Department, id, 'The department');
    await this.em.remove(department).flush();
  }

  async hours(_actor: Actor, id: string): Promise<BusinessHoursDto> {
    const department = await findByIdOrFail(this.em, Department, id, 'The department');
    return toBusinessHoursDto(department.hours, isOpenAt(department.hours, this.clock()));
  }

  /** Sets the hours (null: none, always open). */
  async setHours(
    _actor: Actor,
    id: string,
    hours: BusinessHoursInput | null,
  ): Promise<BusinessHoursDto> {
    const department = await findByIdOrFail(this.em, Department, id, 'The department');
    department.hours = hours;
    await this.em.flush();
    return toBusinessHoursDto(hours, isOpenAt(hours, this.clock()));
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

  private countOperators(tenantId: string, departmentIds: string[]): Promise<Map<string, number>> {
    return new DepartmentsRepository(sqlIn(this.em)).countOperators(tenantId, departmentIds);
  }
}
