import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { findByIdOrFail } from '../../db/find.js';
import { flushWith, sqlIn } from '../../db/sql.js';
import { ConflictError } from '../../errors.js';
import type { AuditRecord } from '../audit/audit-entry.entity.js';
import { diffFields, recordAudit } from '../audit/audit-recorder.js';
import { businessHoursFields, departmentFields } from '../audit/audited-fields.js';
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
    await this.saveUniquely(department, actor, {
      action: 'department.created',
      target: { type: 'department', id: department.id, name: department.name },
      changes: diffFields({}, departmentFields(department)),
    });
    return toDepartmentDto(department, 0, this.clock());
  }

  async rename(actor: Actor, id: string, input: DepartmentInput): Promise<DepartmentDto> {
    const department = await findByIdOrFail(this.em, Department, id, 'The department');
    const fieldsBefore = departmentFields(department);
    department.name = input.name;
    await this.saveUniquely(department, actor, {
      action: 'department.updated',
      target: { type: 'department', id: department.id, name: department.name },
      changes: diffFields(fieldsBefore, departmentFields(department)),
    });
    const counts = await this.countOperators(actor.tenantId, [department.id]);
    return toDepartmentDto(department, counts.get(department.id) ?? 0, this.clock());
  }

  /** Operators keep their accounts and simply lose this membership. */
  async remove(actor: Actor, id: string): Promise<void> {
    const department = await findByIdOrFail(this.em, Department, id, 'The department');
    this.em.remove(department);
    await flushWith(this.em, (sql) =>
      recordAudit(sql, actor, {
        action: 'department.deleted',
        target: { type: 'department', id: department.id, name: department.name },
        changes: diffFields(departmentFields(department), {}),
      }),
    );
  }

  async hours(_actor: Actor, id: string): Promise<BusinessHoursDto> {
    const department = await findByIdOrFail(this.em, Department, id, 'The department');
    return toBusinessHoursDto(department.hours, isOpenAt(department.hours, this.clock()));
  }

  /** Sets the hours (null: none, always open). */
  async setHours(
    actor: Actor,
    id: string,
    hours: BusinessHoursInput | null,
  ): Promise<BusinessHoursDto> {
    const department = await findByIdOrFail(this.em, Department, id, 'The department');
    const fieldsBefore = businessHoursFields(department.hours);
    department.hours = hours;
    await flushWith(this.em, (sql) =>
      recordAudit(sql, actor, {
        action: 'department.hours_updated',
        target: { type: 'department', id: department.id, name: department.name },
        changes: diffFields(fieldsBefore, businessHoursFields(hours)),
      }),
    );
    return toBusinessHoursDto(hours, isOpenAt(hours, this.clock()));
  }

  /** Saves the department and its audit entry together. */
  private async saveUniquely(
    department: Department,
    actor: Actor,
    audit: AuditRecord,
  ): Promise<void> {
    try {
      this.em.persist(department);
      await flushWith(this.em, (sql) => recordAudit(sql, actor, audit));
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
