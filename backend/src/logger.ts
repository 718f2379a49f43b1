import { DriverException } from '@mikro-orm/core';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from './config.js';

/** Paths whose values never reach a log line, wherever they appear. */
const REDACTED_PATHS = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'accessToken',
  '*.accessToken',
  'appSecret',
  '*.appSecret',
  'token',
  '*.token',
  // Two-factor: the TOTP secret (also inside otpauthUrl), recovery codes, sealed columns.
  'secret',
  '*.secret',
  'otpauthUrl',
  '*.otpauthUrl',
  'recoveryCodes',
  '*.recoveryCodes',
  '*.twoFactorSecretSealed',
  '*.twoFactorPendingSecretSealed',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(
  config: Pick<Config, 'logLevel' | 'env'>,
  /** Where lines go instead of stdout (tests read them). */
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
    hooks: {
      // `logger.error(error)` makes the error's message the line's msg, past the serializer.
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        if (!isDatabaseError(first)) return method.apply(this, args);
        const message = typeof rest[0] === 'string' ? rest : [safeMessageOf(first)];
        return method.apply(this, [{ err: first }, ...message] as Parameters<typeof method>);
      },
    },
  };
  if (destination) return pino(options, destination);
  return pino({
    ...options,
    ...(config.env === 'development'
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss', singleLine: true },
          },
        }
      : {}),
  });
}

/** Properties of a PostgreSQL error that name things, never hold a row's values. */
const SAFE_DATABASE_FIELDS = ['code', 'severity', 'schema', 'table', 'column', 'constraint'];

/**
 * pino's error serializer, except for database errors: their message repeats the failed
 * statement with its parameters written in (MikroORM and pg both do so), and `detail` quotes
 * the conflicting row ("Key (email)=(ann@example.com) already exists"). Such values are
 * personal data or secrets, so the line keeps the statement's shape and PostgreSQL's reason
 * with every literal replaced by `?`, plus the names of what failed.
 */
export function serializeError(error: unknown): unknown {
  if (!isDatabaseError(error)) {
    if (!(error instanceof Error)) return error;
    // pino writes the causes' messages and stacks into the error's own: a database error
    // as a cause needs the same care.
    const serialized = pino.stdSerializers.err(error);
    for (let cause = error.cause; cause instanceof Error; cause = cause.cause) {
      if (!isDatabaseError(cause)) continue;
      const safe = safeMessageOf(cause);
      serialized.message = serialized.message.split(cause.message).join(safe);
      serialized.stack = serialized.stack.split(cause.message).join(safe);
    }
    return serialized;
  }
  const message = safeMessageOf(error);
  const serialized: Record<string, unknown> = {
    type: error.constructor.name,
    message,
    stack: error.stack?.split(error.message).join(message),
  };
  const fields = error as unknown as Record<string, unknown>;
  for (const field of SAFE_DATABASE_FIELDS) {
    if (typeof fields[field] === 'string') serialized[field] = fields[field];
  }
  return serialized;
}

/**
 * The statement and PostgreSQL's reason, literals redacted. MikroORM appends
 * ` - detail: …`, which quotes row values (`Key (email)=(…)`, `Failing row contains (…)`):
 * it is left out; the constraint, table and column say what failed.
 */
function safeMessageOf(error: Error): string {
  return redactSqlLiterals(error.message.split('\n - detail:')[0]!);
}

function isDatabaseError(error: unknown): error is Error {
  if (error instanceof DriverException) return true;
  // pg's DatabaseError, from raw queries the ORM did not wrap.
  return (
    error instanceof Error &&
    typeof (error as { severity?: unknown }).severity === 'string' &&
    /^[0-9A-Z]{5}$/.test(String((error as { code?: unknown }).code))
  );
}

/**
 * `insert into "t" ("email", "n") values ('ann@example.com', 2) - invalid input syntax for
 * type integer: "x"` → `insert into "t" ("email", "n") values (?, ?) - invalid input syntax
 * for type integer: "?"`. Identifiers ("quoted" names) stay; strings, numbers and the value
 * PostgreSQL quotes after a colon go.
 */
export function redactSqlLiterals(message: string): string {
  return message
    .replace(/(?<!\w)(?:[Ee]'(?:[^'\\]|\\.|'')*'|(?:[XxBb]|U&)?'(?:[^']|'')*')/g, '?')
    .replace(/(?<![\w."$?])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w"])/gi, '?')
    .replace(/: "(?:[^"]|"")*"/g, ': "?"');
}

export type { Logger };
