import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { UserRole } from '@/api/types';
import { installNavigationGuards, resolveAccess, routes } from './index';
import type { GuardSession } from './index';

// Route components are lazy: resolving them would load whole views, so tests use a stub.
const Stub = { render: () => null };
function stubComponents(records: typeof routes): typeof routes {
  return records.map((record) => ({
    ...record,
    ...('component' in record && record.component ? { component: Stub } : {}),
    ...(record.children ? { children: stubComponents(record.children) } : {}),
  })) as typeof routes;
}

function fakeSession(role: UserRole | null, onRestore: () => void = () => {}): GuardSession {
  return {
    get isAuthenticated() {
      return role !== null;
    },
    get user() {
      return role ? { role } : null;
    },
    restore: vi.fn(async () => onRestore()),
  };
}

async function navigate(session: GuardSession, path: string) {
  const router = createRouter({ history: createMemoryHistory(), routes: stubComponents(routes) });
  installNavigationGuards(router, session);
  await router.push(path);
  return router.currentRoute.value;
}

describe('navigation guards', () => {
  it('sends a visitor without a session to /login, remembering where they were going', async () => {
    const route = await navigate(fakeSession(null), '/admin/operators');

    expect(route.name).toBe('login');
    expect(route.query.redirect).toBe('/admin/operators');
  });

  it('sends an operator opening /admin/* to the workspace', async () => {
    const route = await navigate(fakeSession('operator'), '/admin/departments');

    expect(route.name).toBe('workspace');
  });

  it('lets an admin into the admin pages; /admin opens departments', async () => {
    expect((await navigate(fakeSession('admin'), '/admin/settings')).name).toBe('admin-settings');
    expect((await navigate(fakeSession('admin'), '/admin')).name).toBe('admin-departments');
  });

  it('sends a signed-in user away from login and signup to their home', async () => {
    expect((await navigate(fakeSession('admin'), '/login')).name).toBe('admin-departments');
    expect((await navigate(fakeSession('operator'), '/signup')).name).toBe('workspace');
  });

  it('restores a stored session before deciding', async () => {
    let role: UserRole | null = null;
    const session: GuardSession = {
      get isAuthenticated() {
        return role !== null;
      },
      get user() {
        return role ? { role } : null;
      },
      restore: vi.fn(async () => {
        role = 'operator';
      }),
    };

    const route = await navigate(session, '/workspace');

    expect(session.restore).toHaveBeenCalled();
    expect(route.name).toBe('workspace');
  });

  it('sends a reviewer home to the App Review kit, and from /admin/* to the workspace', async () => {
    expect((await navigate(fakeSession('reviewer'), '/login')).name).toBe('app-review');
    expect((await navigate(fakeSession('reviewer'), '/admin/operators')).name).toBe('workspace');
    expect((await navigate(fakeSession('reviewer'), '/workspace')).name).toBe('workspace');
  });

  it('opens the App Review kit and the simulator to admins and reviewers only', async () => {
    for (const role of ['admin', 'reviewer'] as const) {
      expect((await navigate(fakeSession(role), '/app-review')).name).toBe('app-review');
      expect((await navigate(fakeSession(role), '/simulator')).name).toBe('simulator');
    }
    expect((await navigate(fakeSession('operator'), '/app-review')).name).toBe('workspace');
    expect((await navigate(fakeSession('operator'), '/simulator')).name).toBe('workspace');
  });

  it('asks for a session before the simulator, and comes back to it', async () => {
    const route = await navigate(fakeSession(null), '/simulator');

    expect(route.name).toBe('login');
    expect(route.query.redirect).toBe('/simulator');
  });

  it('shows the not-found page for unknown addresses', async () => {
    expect((await navigate(fakeSession('operator'), '/nope')).name).toBe('not-found');
  });
});

describe('resolveAccess', () => {
  const target = (meta: Record<string, unknown>, fullPath = '/x') =>
    ({ meta, fullPath }) as Parameters<typeof resolveAccess>[0];

  it('does not add a redirect for the root path', () => {
    expect(
      resolveAccess(target({ requiresAuth: true }, '/'), { isAuthenticated: false, role: null }),
    ).toEqual({
      name: 'login',
      query: {},
    });
  });

  it('keeps admin pages to admins: a reviewer is no admin', () => {
    expect(
      resolveAccess(target({ requiresAdmin: true }), { isAuthenticated: true, role: 'reviewer' }),
    ).toEqual({ name: 'workspace' });
    expect(
      resolveAccess(target({ requiresReviewKit: true }), {
        isAuthenticated: true,
        role: 'reviewer',
      }),
    ).toBe(true);
  });

  it("opens the supervision pages to admins and supervisors, and the admin's own to admins", () => {
    const supervision = target({ requiresAdmin: false, requiresSupervision: true });
    const signedIn = (role: 'admin' | 'supervisor' | 'operator') => ({
      isAuthenticated: true,
      role,
    });
    expect(resolveAccess(supervision, signedIn('supervisor'))).toBe(true);
    expect(resolveAccess(supervision, signedIn('admin'))).toBe(true);
    expect(resolveAccess(supervision, signedIn('operator'))).toEqual({ name: 'workspace' });
    expect(resolveAccess(target({ requiresAdmin: true }), signedIn('supervisor'))).toEqual({
      name: 'workspace',
    });
  });

  it('allows public pages to everyone', () => {
    expect(resolveAccess(target({}), { isAuthenticated: false, role: null })).toBe(true);
  });
});

describe('navigation guards: two-factor setup required', () => {
  const forcedAdmin = (isRequired: boolean): GuardSession => ({
    ...fakeSession('admin'),
    isAuthenticated: true,
    user: { role: 'admin' },
    isTwoFactorSetupRequired: isRequired,
  });

  it('sends an admin who must set up two-factor to the setup screen, wherever they go', async () => {
    for (const path of ['/admin/operators', '/workspace', '/login', '/settings-unknown']) {
      expect((await navigate(forcedAdmin(true), path)).name, path).toBe('two-factor-setup');
    }
  });

  it('keeps everyone else away from the setup screen', async () => {
    expect((await navigate(forcedAdmin(false), '/two-factor-setup')).name).toBe(
      'admin-departments',
    );
    expect((await navigate(fakeSession(null), '/two-factor-setup')).name).toBe('login');
  });
});
