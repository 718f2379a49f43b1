import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121133715_foundation } from './Migration20261121133715_foundation.js';

/** Every migration, in order. `npm run db:migration:create` rewrites this file. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261121133715_foundation', class: Migration20261121133715_foundation },
];
