/**
 * `npm run db:migration:create [name]` — generates a migration from the difference between
 * the entities and the schema the existing migrations build. It works in a scratch database,
 * so your own data is never touched, then rewrites migrations/index.ts. Review the file!
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { loadConfig, loadDotEnvFile } from '../config.js';
import { createDatabase, dropDatabase } from './database-admin.js';
import { initOrm, migrationsFolder } from './orm.js';

loadDotEnvFile();
const config = loadConfig();
const scratchUrl = withDatabaseName(
  config.databaseUrl,
  `omni_migration_${randomBytes(4).toString('hex')}`,
);

await createDatabase(scratchUrl);
try {
  const orm = await initOrm({ databaseUrl: scratchUrl });
  try {
    await orm.migrator.up();
    const result = await orm.migrator.createMigration(
      migrationsFolder,
      false,
      false,
      process.argv[2],
    );
    if (result.diff.up.length === 0) {
      console.log('No schema changes: nothing to generate.');
    } else {
      console.log(`Created ${result.fileName}. Review it before committing.`);
    }
  } finally {
    await orm.close();
  }
} finally {
  await dropDatabase(scratchUrl);
}
writeMigrationIndex();

function writeMigrationIndex(): void {
  const classes = readdirSync(migrationsFolder)
    .filter((file) => /^Migration\d+.*\.ts$/.test(file))
    .sort()
    .map((file) => file.replace(/\.ts$/, ''));
  const imports = classes.map((name) => `import { ${name} } from './${name}.js';`).join('\n');
  const entries = classes.map((name) => `  { name: '${name}', class: ${name} },`).join('\n');
  writeFileSync(
    `${migrationsFolder}/index.ts`,
    `import type { MigrationObject } from '@mikro-orm/core';\n${imports}\n\n` +
      `/** Every migration, in order. \`npm run db:migration:create\` rewrites this file. */\n` +
      `export const migrationsList: MigrationObject[] = [\n${entries}\n];\n`,
  );
}

function withDatabaseName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
