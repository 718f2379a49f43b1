import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.js';

let api: TestApi;
let panelDir: string;
beforeAll(async () => {
  panelDir = mkdtempSync(join(tmpdir(), 'omni-panel-'));
  mkdirSync(join(panelDir, 'assets'));
  writeFileSync(join(panelDir, 'index.html'), '<!doctype html><title>Omni</title>');
  writeFileSync(join(panelDir, 'assets', 'app-1234.js'), 'console.log("omni")');
  api = await startTestApi({ PANEL_DIR: panelDir });
});
afterAll(async () => {
  await api.stop();
  rmSync(panelDir, { recursive: true });
});

describe('the built panel', () => {
  it('is served at the root and for every deep link of the panel', async () => {
    for (const path of ['/', '/workspace', '/admin/operators']) {
      const response = await api.request('GET', path);
      expect(response.status, path).toBe(200);
      expect(response.body).toContain('<title>Omni</title>');
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves hashed assets for a year and a missing asset as a 404', async () => {
    const asset = await api.request('GET', '/assets/app-1234.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await api.request('GET', '/assets/gone.js')).status).toBe(404);
  });

  it('lets the panel show the demo photos when opened at another address than PUBLIC_URL', async () => {
    const policy = (await api.request('GET', '/workspace')).headers.get('content-security-policy');
    const directive = (name: string) =>
      policy
        ?.split(';')
        .map((part) => part.trim().split(/\s+/))
        .find(([directiveName]) => directiveName === name)
        ?.slice(1);
    const publicOrigin = new URL(api.config.publicUrl).origin;
    expect(directive('img-src')).toContain(publicOrigin);
    expect(directive('script-src')).toEqual(["'self'"]);
    // The pictures themselves may be shown by another origin; the API's answers may not.
    const picture = await api.request('GET', '/api/demo/personas/maya.svg');
    expect(picture.status).toBe(200);
    expect(picture.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const answer = await api.request('GET', '/api/demo');
    expect(answer.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  it('leaves API paths to the API', async () => {
    const response = await api.request('GET', '/api/unknown');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });
});
