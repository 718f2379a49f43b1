import type { EntityManager, EntityName, FilterQuery, FindOneOptions } from '@mikro-orm/core';
import { validate as isUuid } from 'uuid';
import { NotFoundError } from '../errors.js';

/**
 * Loads one entity by id through the tenant filter, or throws 404. A malformed id is just
 * another unknown id (and never reaches PostgreSQL's uuid cast).
 */
export async function findByIdOrFail<T extends object, P extends string = never>(
  em: EntityManager,
  entityName: EntityName<T>,
  id: string,
  what: string,
  options?: FindOneOptions<T, P>,
): Promise<T> {
  const entity = isUuid(id)
    ? await em.findOne(entityName, { id } as FilterQuery<T>, options)
    : null;
  if (!entity) throw new NotFoundError(what);
  return entity as T;
}
