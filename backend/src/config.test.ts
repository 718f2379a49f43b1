import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const productionSecrets = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-production-secret-that-is-long-enough-1234',
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  SMTP_URL: 'smtp://mail.example.com:587',
};

describe('loadConfig', () => {
  it('gives a working development configuration with no variables at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 5001,
      publicUrl: 'http://localhost:5001',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/omni',
      redisUrl: 'redis://127.0.0.1:6379',
      facebookGraphUrl: 'https://graph.facebook.com',
      facebookGraphVersion: 'v25.0',
      seedDemoData: true,
      demoMode: true,
      sandboxGraphUrl: 'http://127.0.0.1:5001/sandbox-graph',
    });
    expect(config.encryptionKey).toHaveLength(32);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('listens on 127.0.0.1 outside production unless HOST says otherwise, on 0.0.0.0 in production', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'test' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
    expect(loadConfig(productionSecrets).host).toBe('0.0.0.0');
    expect(loadConfig({ ...productionSecrets, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });

  it('refuses to listen beyond this machine with the development secrets, naming them', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(
      /HOST=0\.0\.0\.0 is reachable from other machines, so JWT_SECRET and ENCRYPTION_KEY must be set/,
    );
    const development = loadConfig({});
    expect(() =>
      loadConfig({
        NODE_ENV: 'test',
        HOST: '::',
        JWT_SECRET: productionSecrets.JWT_SECRET,
        ENCRYPTION_KEY: development.encryptionKey.toString('base64'),
      }),
    ).toThrow(/so ENCRYPTION_KEY must be set/);
    const withSecrets = { ...productionSecrets, NODE_ENV: 'development' };
    expect(loadConfig({ ...withSecrets, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    for (const loopback of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) {
      expect(loadConfig({ HOST: loopback }).host).toBe(loopback);
    }
  });

  it('names the variable whose value is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ FACEBOOK_GRAPH_VERSION: '25' })).toThrow(
      /FACEBOOK_GRAPH_VERSION must look like v25.0/,
    );
    expect(() => loadConfig({ ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(
      /ENCRYPTION_KEY must be 32 random bytes/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('takes the key being retired during a rotation as ENCRYPTION_KEY_PREVIOUS', () => {
    expect(loadConfig({}).encryptionKeyPrevious).toBeNull();
    const previous = Buffer.alloc(32, 9);
    const rotating = loadConfig({
      ...productionSecrets,
      ENCRYPTION_KEY_PREVIOUS: previous.toString('base64'),
    });
    expect(rotating.encryptionKeyPrevious).toEqual(previous);
    expect(rotating.encryptionKey).toEqual(Buffer.alloc(32, 7));
    expect(() => loadConfig({ ENCRYPTION_KEY_PREVIOUS: 'c2hvcnQ=' })).toThrow(
      /ENCRYPTION_KEY_PREVIOUS must be 32 random bytes/,
    );
  });

  it('refuses to start in production without secrets, naming them', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      'Invalid configuration: JWT_SECRET, ENCRYPTION_KEY and SMTP_URL must be set when NODE_ENV=production.',
    );
    expect(() => loadConfig({ ...productionSecrets, JWT_SECRET: undefined })).toThrow(
      /JWT_SECRET must be set/,
    );
    expect(() => loadConfig({ ...productionSecrets, SMTP_URL: undefined })).toThrow(
      'Invalid configuration: SMTP_URL must be set when NODE_ENV=production.',
    );
  });

  it('reads the SMTP server and sender; without SMTP_URL outside production mails go to the log', () => {
    expect(loadConfig({})).toMatchObject({ smtpUrl: null, mailFrom: 'Omni <no-reply@localhost>' });
    expect(
      loadConfig({
        SMTP_URL: 'smtp://user:pass@mail.example.com:587',
        MAIL_FROM: 'Help <help@example.com>',
      }),
    ).toMatchObject({
      smtpUrl: 'smtp://user:pass@mail.example.com:587',
      mailFrom: 'Help <help@example.com>',
    });
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.com' })).toThrow(
      /SMTP_URL must be an smtp/,
    );
  });

  it('refuses the development secrets in production', () => {
    const development = loadConfig({});
    expect(() =>
      loadConfig({
        ...productionSecrets,
        ENCRYPTION_KEY: development.encryptionKey.toString('base64'),
      }),
    ).toThrow(/must not be the development defaults/);
  });

  it('accepts a complete production configuration and turns demo data off', () => {
    const config = loadConfig({ ...productionSecrets, PUBLIC_URL: 'https://omni.example.com/' });
    expect(config.isProduction).toBe(true);
    expect(config.publicUrl).toBe('https://omni.example.com');
    expect(config.seedDemoData).toBe(false);
    expect(config.demoMode).toBe(false);
  });

  it('refuses demo mode in production unless it is explicitly allowed', () => {
    expect(() => loadConfig({ ...productionSecrets, DEMO_MODE: 'true' })).toThrow(
      /ALLOW_DEMO_IN_PRODUCTION/,
    );
    const reviewServer = loadConfig({
      ...productionSecrets,
      DEMO_MODE: 'true',
      ALLOW_DEMO_IN_PRODUCTION: 'true',
    });
    expect(reviewServer).toMatchObject({ demoMode: true, seedDemoData: true });
  });

  it("fetches attachments from Facebook's CDNs only, plus exactly the demo pictures' path in demo mode", () => {
    expect(loadConfig({ ...productionSecrets }).attachmentUrlAllowList).toEqual([
      '*.fbcdn.net',
      '*.fbsbx.com',
      '*.facebook.com',
      '*.cdninstagram.com',
    ]);
    expect(
      loadConfig({ ATTACHMENT_URL_ALLOWLIST: 'cdn.example.com, http://10.0.0.5/media/' }),
    ).toMatchObject({
      attachmentUrlAllowList: [
        'cdn.example.com',
        'http://10.0.0.5/media/',
        'http://localhost:5001/api/demo/media/',
      ],
      filesPublicUrl: null,
    });
    expect(() => loadConfig({ ATTACHMENT_URL_ALLOWLIST: '*' })).toThrow(/ATTACHMENT_URL_ALLOWLIST/);
    expect(loadConfig({ FILES_PUBLIC_URL: 'https://files.omni.example/' }).filesPublicUrl).toBe(
      'https://files.omni.example',
    );
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(5001);
  });
});
