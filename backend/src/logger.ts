import { pino, type Logger } from 'pino';
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
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(config: Pick<Config, 'logLevel' | 'env'>): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
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

export type { Logger };
