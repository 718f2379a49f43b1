import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UrlAllowList } from './modules/outbound-http/url-allow-list.js';

/**
 * Development-only secrets. They let `npm start` work on a fresh clone and survive restarts
 * (a random key would make stored page tokens unreadable after each restart). Production
 * refuses to start with them or without a value.
 */
const DEV_JWT_SECRET = 'dev-only-jwt-secret-do-not-use-in-production-0000';
const DEV_ENCRYPTION_KEY = 'ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM='; // 32 bytes, base64

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const encryptionKeySchema = z
  .string()
  .refine(
    (value) => Buffer.from(value, 'base64').length === 32,
    'must be 32 random bytes, base64-encoded (openssl rand -base64 32)',
  );

const urlWithoutTrailingSlash = z.url().transform((value) => value.replace(/\/+$/, ''));

/**
 * Where Messenger attachments live: Facebook's and Instagram's CDNs (scontent.*.fbcdn.net,
 * cdn.fbsbx.com, lookaside.fbsbx.com, …). https on the default port, public addresses only.
 */
export const FACEBOOK_ATTACHMENT_HOSTS = [
  '*.fbcdn.net',
  '*.fbsbx.com',
  '*.facebook.com',
  '*.cdninstagram.com',
] as const;

/** Where the api serves the demo's sample pictures (the simulated visitor's attachments). */
export const DEMO_MEDIA_PATH = '/api/demo/media/';

const commaSeparatedList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/** Where the api serves the sandbox Graph API in demo mode. */
export const SANDBOX_GRAPH_PATH = '/sandbox-graph';

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(5001),
  PUBLIC_URL: urlWithoutTrailingSlash.default('http://localhost:5001'),
  TRUST_PROXY: booleanFromEnv.default(false),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/omni'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'may only contain letters, digits, "-" and "_"')
    .default('omni'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // A session's lifetime; sockets are cut when it ends. Seconds are allowed so tests can watch
  // a session expire.
  JWT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(12 * 60 * 60),
  ENCRYPTION_KEY: encryptionKeySchema.optional(),
  ENCRYPTION_KEY_PREVIOUS: encryptionKeySchema.optional(),
  FACEBOOK_GRAPH_URL: urlWithoutTrailingSlash.default('https://graph.facebook.com'),
  FACEBOOK_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v25.0')
    .default('v25.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MIGRATE_ON_START: booleanFromEnv.default(true),
  SEED_DEMO_DATA: booleanFromEnv.optional(),
  DEMO_MODE: booleanFromEnv.optional(),
  ALLOW_DEMO_IN_PRODUCTION: booleanFromEnv.default(false),
  SANDBOX_GRAPH_URL: urlWithoutTrailingSlash.optional(),
  ATTACHMENT_URL_ALLOWLIST: commaSeparatedList
    .default([...FACEBOOK_ATTACHMENT_HOSTS])
    .superRefine((entries, context) => {
      try {
        UrlAllowList.parse(entries);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  ALLOW_PRIVATE_WEBHOOK_URLS: booleanFromEnv.default(false),
  FILES_PUBLIC_URL: urlWithoutTrailingSlash.optional(),
  PANEL_DIR: z.string().optional(),
  STORAGE_DIR: z.string().optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  PRESENCE_GRACE_SECONDS: z.coerce.number().int().min(1).default(60),
  WEBHOOK_UNVERIFIED_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  WEBHOOK_RAW_BODY_RETENTION_DAYS: z.coerce.number().int().min(1).default(7),
  SIGNUP_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(5),
  MAX_REQUESTS_IN_FLIGHT: z.coerce.number().int().min(1).default(500),
  API_TOKEN_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Omni <no-reply@localhost>'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
});

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  isProduction: boolean;
  host: string;
  port: number;
  publicUrl: string;
  trustProxy: boolean;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** Seals every secret stored from now on, and opens them. */
  encryptionKey: Buffer;
  /** During a key rotation, the key being retired: it only opens what it sealed. */
  encryptionKeyPrevious: Buffer | null;
  facebookGraphUrl: string;
  facebookGraphVersion: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  migrateOnStart: boolean;
  seedDemoData: boolean;
  /** Demo logins on the login page, the sandbox Graph API and the Messenger simulator. */
  demoMode: boolean;
  /** Where sandbox pages' Graph calls go (Omni's own sandbox Graph, served by the api). */
  sandboxGraphUrl: string;
  panelDir: string | undefined;
  /**
   * Where attachment downloads may go (UrlAllowList entries): host patterns (https, public
   * addresses) and exact URL prefixes. In demo mode the demo's sample pictures are added.
   */
  attachmentUrlAllowList: readonly string[];
  /**
   * Outbound webhooks may also go to plain http and to loopback or private addresses
   * (development and tests only); otherwise https and public addresses are required.
   */
  allowPrivateWebhookUrls: boolean;
  /** The origin that serves file links (/api/files/…), when not the panel's own. */
  filesPublicUrl: string | null;
  /** Where Omni keeps files (downloaded attachments). */
  storageDir: string;
  shutdownTimeoutMs: number;
  /** An operator whose panels have all been disconnected this long is taken offline. */
  presenceGraceMs: number;
  /** Webhook deliveries per tenant key and minute that cannot be verified before 429. */
  webhookUnverifiedPerMinute: number;
  /** Processed, ignored and failed webhook deliveries (with their raw bodies) are kept this long. */
  webhookRawBodyRetentionDays: number;
  /** Businesses one client address may create per hour. */
  signUpsPerAddressPerHour: number;
  /** Requests answered at once; beyond, 503 OVERLOADED (http/load-shedding.ts). */
  maxRequestsInFlight: number;
  /** Requests each API token may make per minute; beyond, 429 RATE_LIMITED. */
  apiTokenRequestsPerMinute: number;
  /** Where mail goes (smtp[s]://user:pass@host:port); null: mails are written to the log. */
  smtpUrl: string | null;
  /** The From header of every mail. */
  mailFrom: string;
  /** The bearer token of GET /metrics; null: metrics are not served at all. */
  metricsToken: string | null;
}>;

/** Thrown when the environment is wrong; its message names every offending variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses and validates the environment once, at start-up. No other module reads
 * `process.env`: the returned object is frozen and passed down.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(emptyToUndefined(environment));
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')} ${issue.message.toLowerCase()}`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}.`);
  }
  const values = parsed.data;
  const isProduction = values.NODE_ENV === 'production';

  if (isProduction) {
    const missing = (['JWT_SECRET', 'ENCRYPTION_KEY', 'SMTP_URL'] as const).filter(
      (name) => !values[name],
    );
    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid configuration: ${missing.join(', ').replace(/, ([^,]*)$/, ' and $1')} must be set when NODE_ENV=production.`,
      );
    }
    if (values.JWT_SECRET === DEV_JWT_SECRET || values.ENCRYPTION_KEY === DEV_ENCRYPTION_KEY) {
      throw new ConfigError(
        'Invalid configuration: JWT_SECRET and ENCRYPTION_KEY must not be the development defaults when NODE_ENV=production.',
      );
    }
  }

  // Outside production, only this machine can reach Omni unless HOST says otherwise.
  const host = values.HOST ?? (isProduction ? '0.0.0.0' : '127.0.0.1');
  const defaultSecrets = [
    !values.JWT_SECRET || values.JWT_SECRET === DEV_JWT_SECRET ? 'JWT_SECRET' : null,
    !values.ENCRYPTION_KEY || values.ENCRYPTION_KEY === DEV_ENCRYPTION_KEY
      ? 'ENCRYPTION_KEY'
      : null,
  ].filter((name) => name !== null);
  if (defaultSecrets.length > 0 && !isLoopbackHost(host)) {
    // The development secrets are public: anyone who reaches Omni could forge sessions.
    throw new ConfigError(
      `Invalid configuration: HOST=${host} is reachable from other machines, so ${defaultSecrets.join(' and ')} must be set (the development defaults are public); or leave HOST unset to listen on 127.0.0.1.`,
    );
  }

  const demoMode = values.DEMO_MODE ?? !isProduction;
  if (isProduction && demoMode && !values.ALLOW_DEMO_IN_PRODUCTION) {
    throw new ConfigError(
      'Invalid configuration: DEMO_MODE shows demo passwords on the login page; in production set ALLOW_DEMO_IN_PRODUCTION=true as well if that is really wanted (an App Review server).',
    );
  }

  return Object.freeze({
    env: values.NODE_ENV,
    isProduction,
    host,
    port: values.PORT,
    publicUrl: values.PUBLIC_URL,
    trustProxy: values.TRUST_PROXY,
    databaseUrl: values.DATABASE_URL,
    redisUrl: values.REDIS_URL,
    redisPrefix: values.REDIS_PREFIX,
    jwtSecret: values.JWT_SECRET ?? DEV_JWT_SECRET,
    jwtTtlSeconds: values.JWT_TTL_SECONDS,
    encryptionKey: Buffer.from(values.ENCRYPTION_KEY ?? DEV_ENCRYPTION_KEY, 'base64'),
    encryptionKeyPrevious: values.ENCRYPTION_KEY_PREVIOUS
      ? Buffer.from(values.ENCRYPTION_KEY_PREVIOUS, 'base64')
      : null,
    facebookGraphUrl: values.FACEBOOK_GRAPH_URL,
    facebookGraphVersion: values.FACEBOOK_GRAPH_VERSION,
    logLevel: values.LOG_LEVEL,
    migrateOnStart: values.MIGRATE_ON_START,
    seedDemoData: values.SEED_DEMO_DATA ?? demoMode,
    demoMode,
    sandboxGraphUrl:
      values.SANDBOX_GRAPH_URL ?? `http://127.0.0.1:${values.PORT}${SANDBOX_GRAPH_PATH}`,
    panelDir: values.PANEL_DIR,
    // Only the demo pictures' path of PUBLIC_URL: the rest of it (such as the demo accounts'
    // passwords under /api/demo/) must stay out of a tenant's reach.
    attachmentUrlAllowList: Object.freeze([
      ...values.ATTACHMENT_URL_ALLOWLIST,
      ...(demoMode ? [`${values.PUBLIC_URL}${DEMO_MEDIA_PATH}`] : []),
    ]),
    allowPrivateWebhookUrls: values.ALLOW_PRIVATE_WEBHOOK_URLS,
    filesPublicUrl: values.FILES_PUBLIC_URL ?? null,
    storageDir: values.STORAGE_DIR ?? fileURLToPath(new URL('../../data/files', import.meta.url)),
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    presenceGraceMs: values.PRESENCE_GRACE_SECONDS * 1000,
    webhookUnverifiedPerMinute: values.WEBHOOK_UNVERIFIED_PER_MINUTE,
    webhookRawBodyRetentionDays: values.WEBHOOK_RAW_BODY_RETENTION_DAYS,
    signUpsPerAddressPerHour: values.SIGNUP_LIMIT_PER_HOUR,
    maxRequestsInFlight: values.MAX_REQUESTS_IN_FLIGHT,
    apiTokenRequestsPerMinute: values.API_TOKEN_REQUESTS_PER_MINUTE,
    smtpUrl: values.SMTP_URL ?? null,
    mailFrom: values.MAIL_FROM,
    metricsToken: values.METRICS_TOKEN ?? null,
  });
}

/**
 * Loads the repository's `.env` into the environment when present (a developer convenience;
 * real deployments set variables directly). Variables already set win. The path is the same
 * from `src/` and from the compiled `dist/`: two levels up.
 */
export function loadDotEnvFile(path = fileURLToPath(new URL('../../.env', import.meta.url))): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Whether only this machine can connect to `host` (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackHost(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return (
    address === 'localhost' || address === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(address)
  );
}

/** An empty variable (`FOO=`) means "not set", as most deployment tools write it. */
function emptyToUndefined(environment: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [name, value === '' ? undefined : value]),
  );
}
