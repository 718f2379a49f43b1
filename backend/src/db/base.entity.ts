import { EntitySchema } from '@mikro-orm/core';
import { v7 as uuidv7 } from 'uuid';

/** Every table has a time-ordered UUID id (string in the API) and timestamps. */
export abstract class BaseEntity {
  id: string = uuidv7();
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const BaseEntitySchema = new EntitySchema<BaseEntity>({
  class: BaseEntity,
  abstract: true,
  properties: {
    id: { type: 'uuid', primary: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    updatedAt: { type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() },
  },
});
