import { createRouter, createWebHistory } from 'vue-router';
import type {
  RouteLocationNormalized,
  RouteLocationRaw,
  RouteRecordRaw,
  Router,
  RouterHistory,
} from 'vue-router';
import { REVIEW_KIT_ROLES } from '@/api/types';
import type { UserRole } from '@/api/types';

declare module 'vue-router' {
  interface RouteMeta {
    /** Only for a signed-in user (inherited by child routes). */
    requiresAuth?: boolean;
    /** Only for role admin; operators (and reviewers) are sent to their workspace. */
    requiresAdmin?: boolean;
    /**
     * For admins and supervisors (the figures, labels, every open chat); set with
     * `requiresAdmin: false` on a child of the admin section.
     */
    requiresSupervision?: boolean;
    /** The App Review kit and the simulator: admins and reviewers; operators go to the workspace. */
    requiresReviewKit?: boolean;
    /** Login and signup: a signed-in user is sent home instead. */
    isGuestOnly?: boolean;
    /** i18n key of the document title. */
    titleKey?: string;
    /** Opens no realtime connection, so it does not count as the operator being present. */
    withoutRealtime?: boolean;
    /** The forced two-factor setup: the only page for an admin who must set it up first. */
    isTwoFactorSetup?: boolean;
  }
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/auth/LoginView.vue'),
    meta: { isGuestOnly: true, titleKey: 'auth.loginSubmit' },
  },
  {
    path: '/signup',
    name: 'signup',
    component: () => import('@/views/auth/SignupView.vue'),
    meta: { isGuestOnly: true, titleKey: 'auth.signupTitle' },
  },
  {
    path: '/forgot-password',
    name: 'forgot-password',
    component: () => import('@/views/auth/ForgotPasswordView.vue'),
    meta: { isGuestOnly: true, titleKey: 'passwordReset.forgotTitle' },
  },
  {
    // Public: a reset mail's link.
    path: '/reset-password/:token',
    name: 'reset-password',
    component: () => import('@/views/auth/ResetPasswordView.vue'),
    meta: { withoutRealtime: true, titleKey: 'passwordReset.resetTitle' },
  },
  {
    // Public: an invitation mail's link. No realtime: nobody is signed in yet.
    path: '/invite/:token',
    name: 'accept-invitation',
    component: () => import('@/views/auth/AcceptInvitationView.vue'),
    meta: { withoutRealtime: true, titleKey: 'invitations.acceptTitle' },
  },
  {
    // Outside the shell: nothing else of the panel works until two-factor is on.
    path: '/two-factor-setup',
    name: 'two-factor-setup',
    component: () => import('@/views/two-factor/TwoFactorSetupView.vue'),
    meta: {
      requiresAuth: true,
      isTwoFactorSetup: true,
      withoutRealtime: true,
      titleKey: 'twoFactor.setupTitle',
    },
  },
  {
    // Full screen, outside the shell: a presenter shows it beside the panel as "the phone".
    path: '/simulator',
    name: 'simulator',
    component: () => import('@/views/demo/SimulatorView.vue'),
    meta: {
      requiresAuth: true,
      requiresReviewKit: true,
      withoutRealtime: true,
      titleKey: 'simulator.title',
    },
  },
  {
    path: '/',
    component: () => import('@/views/shell/AppShell.vue'),
    meta: { requiresAuth: true },
    children: [
      { path: '', name: 'home', redirect: { name: 'workspace' } },
      {
        path: 'workspace/:conversationId?',
        name: 'workspace',
        component: () => import('@/views/workspace/WorkspaceView.vue'),
        meta: { titleKey: 'nav.workspace' },
      },
      {
        // Everyone: admins manage the shared ones here, each operator their own.
        path: 'canned-responses',
        name: 'canned-responses',
        component: () => import('@/views/canned-responses/CannedResponsesView.vue'),
        meta: { titleKey: 'nav.cannedResponses' },
      },
      {
        // Admins and supervisors: every open chat, to watch, reassign or take over.
        path: 'oversight/:conversationId?',
        name: 'oversight',
        component: () => import('@/views/oversight/OversightView.vue'),
        meta: { requiresSupervision: true, titleKey: 'nav.oversight' },
      },
      {
        path: 'app-review',
        name: 'app-review',
        component: () => import('@/views/demo/AppReviewKitView.vue'),
        meta: { requiresReviewKit: true, titleKey: 'reviewKit.title' },
      },
      {
        path: 'admin',
        meta: { requiresAdmin: true },
        redirect: { name: 'admin-departments' },
        children: [
          {
            path: 'departments',
            name: 'admin-departments',
            component: () => import('@/views/admin/departments/DepartmentsView.vue'),
            meta: { titleKey: 'nav.departments' },
          },
          {
            path: 'operators',
            name: 'admin-operators',
            component: () => import('@/views/admin/operators/OperatorsView.vue'),
            meta: { titleKey: 'nav.operators' },
          },
          {
            path: 'pages',
            name: 'admin-pages',
            component: () => import('@/views/admin/pages/PagesView.vue'),
            meta: { titleKey: 'nav.pages' },
          },
          {
            path: 'queue',
            name: 'admin-queue',
            component: () => import('@/views/admin/queue/QueueOverviewView.vue'),
            meta: { requiresAdmin: false, requiresSupervision: true, titleKey: 'nav.queue' },
          },
          {
            path: 'reports',
            name: 'admin-reports',
            component: () => import('@/views/reports/ReportsView.vue'),
            meta: { requiresAdmin: false, requiresSupervision: true, titleKey: 'nav.reports' },
          },
          {
            path: 'labels',
            name: 'admin-labels',
            component: () => import('@/views/admin/labels/LabelsView.vue'),
            meta: { requiresAdmin: false, requiresSupervision: true, titleKey: 'nav.labels' },
          },
          {
            path: 'settings',
            name: 'admin-settings',
            component: () => import('@/views/admin/settings/SettingsView.vue'),
            meta: { titleKey: 'nav.settings' },
          },
          {
            path: 'api-tokens',
            name: 'admin-api-tokens',
            component: () => import('@/views/admin/api-tokens/ApiTokensView.vue'),
            meta: { titleKey: 'nav.apiTokens' },
          },
          {
            path: 'webhooks',
            name: 'admin-webhooks',
            component: () => import('@/views/admin/webhooks/WebhooksView.vue'),
            meta: { titleKey: 'nav.webhooks' },
          },
          {
            path: 'audit-log',
            name: 'admin-audit-log',
            component: () => import('@/views/admin/audit/AuditLogView.vue'),
            meta: { titleKey: 'nav.auditLog' },
          },
        ],
      },
    ],
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/NotFoundView.vue'),
    meta: { titleKey: 'notFound.title' },
  },
];

/**
 * Where a user lands after signing in: admins set the business up, operators answer chats,
 * Meta's reviewer starts from the kit's written steps.
 */
export function homeRouteFor(role: UserRole): RouteLocationRaw {
  if (role === 'admin') return { path: '/admin' };
  if (role === 'reviewer') return { name: 'app-review' };
  return { name: 'workspace' };
}

/** Accepts only paths inside the panel, so ?redirect= cannot send anyone to another site. */
export function safeRedirectPath(value: unknown): string | null {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')
    ? value
    : null;
}

export interface AccessState {
  isAuthenticated: boolean;
  role: UserRole | null;
  /** The business requires this admin to set up two-factor before anything else. */
  isTwoFactorSetupRequired?: boolean;
}

/** The whole access policy of the panel, as a pure function of the target and the session. */
export function resolveAccess(
  to: RouteLocationNormalized,
  state: AccessState,
): true | RouteLocationRaw {
  if (to.meta.requiresAuth && !state.isAuthenticated) {
    const query = to.fullPath === '/' ? {} : { redirect: to.fullPath };
    return { name: 'login', query };
  }
  if (state.isAuthenticated && state.isTwoFactorSetupRequired) {
    return to.meta.isTwoFactorSetup ? true : { name: 'two-factor-setup' };
  }
  if (to.meta.isTwoFactorSetup && state.role) return homeRouteFor(state.role);
  if (to.meta.isGuestOnly && state.isAuthenticated && state.role) {
    return homeRouteFor(state.role);
  }
  if (to.meta.requiresAdmin && state.role !== 'admin') {
    return { name: 'workspace' };
  }
  if (to.meta.requiresSupervision && state.role !== 'admin' && state.role !== 'supervisor') {
    return { name: 'workspace' };
  }
  if (to.meta.requiresReviewKit && !(state.role && REVIEW_KIT_ROLES.includes(state.role))) {
    return { name: 'workspace' };
  }
  return true;
}

/** What the guard needs from the session store (kept narrow so tests can pass a fake). */
export interface GuardSession {
  readonly isAuthenticated: boolean;
  readonly user: { role: UserRole } | null;
  readonly isTwoFactorSetupRequired?: boolean;
  restore(): Promise<void>;
}

export function installNavigationGuards(router: Router, session: GuardSession): void {
  router.beforeEach(async (to) => {
    // A token from localStorage becomes a user before the first protected page renders.
    await session.restore();
    return resolveAccess(to, {
      isAuthenticated: session.isAuthenticated,
      role: session.user?.role ?? null,
      isTwoFactorSetupRequired: session.isTwoFactorSetupRequired ?? false,
    });
  });
}

export function createAppRouter(history: RouterHistory = createWebHistory()): Router {
  return createRouter({ history, routes });
}
