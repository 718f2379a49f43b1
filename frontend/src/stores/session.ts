import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as authApi from '@/api/auth';
import * as invitationsApi from '@/api/invitations';
import { isApiError } from '@/api/http';
import * as tenantApi from '@/api/tenant';
import { REVIEW_KIT_ROLES } from '@/api/types';
import type {
  ChangePasswordInput,
  InvitationAcceptInput,
  LoginInput,
  MeResponse,
  PresenceStatus,
  SessionResponse,
  SignupInput,
  Tenant,
  TenantUpdateInput,
  User,
} from '@/api/types';

/** localStorage key of the JWT; the only thing that survives a reload. */
export const TOKEN_STORAGE_KEY = 'omni.token';

function readStoredToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

function writeStoredToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_STORAGE_KEY, token);
    else localStorage.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    // Private mode or disabled storage: the session simply won't survive a reload.
  }
}

export const useSessionStore = defineStore('session', () => {
  const token = ref<string | null>(readStoredToken());
  const user = ref<User | null>(null);
  const tenant = ref<Tenant | null>(null);
  const isChangingStatus = ref(false);
  const isSavingTenant = ref(false);
  const isChangingPassword = ref(false);
  /**
   * An admin whose business requires two-factor and who has not set it up: the panel shows
   * only the setup screen (the API refuses everything else with TWO_FACTOR_SETUP_REQUIRED).
   */
  const isTwoFactorSetupRequired = ref(false);

  const isAuthenticated = computed(() => !!token.value && !!user.value);
  const isAdmin = computed(() => user.value?.role === 'admin');
  /** Admins and supervisors: the figures, every open chat, and steering. */
  const maySupervise = computed(
    () => user.value?.role === 'admin' || user.value?.role === 'supervisor',
  );

  /**
   * May give this chat to anyone, move or close it whoever holds it: an admin, any; a
   * supervisor, those of their departments (the server's `maySteer`).
   */
  function maySteer(conversation: { departmentId: string | null }): boolean {
    if (user.value?.role === 'admin') return true;
    return (
      user.value?.role === 'supervisor' &&
      conversation.departmentId !== null &&
      user.value.departmentIds.includes(conversation.departmentId)
    );
  }
  /** The App Review kit and the Messenger simulator: only in the demo tenant. */
  const hasDemoTools = computed(
    () => !!tenant.value?.demo && !!user.value && REVIEW_KIT_ROLES.includes(user.value.role),
  );
  const status = computed<PresenceStatus>(() => user.value?.status ?? 'offline');

  let pendingRestore: Promise<void> | null = null;

  function startSession(response: SessionResponse): void {
    token.value = response.token;
    applyIdentity(response);
    writeStoredToken(response.token);
  }

  function applyIdentity(identity: MeResponse): void {
    user.value = identity.user;
    tenant.value = identity.tenant;
    isTwoFactorSetupRequired.value = identity.user.twoFactorSetupRequired;
  }

  /** Forgets everything locally; used by logout and when the server says the token is dead. */
  function clearSession(): void {
    token.value = null;
    user.value = null;
    tenant.value = null;
    isTwoFactorSetupRequired.value = false;
    pendingRestore = null;
    writeStoredToken(null);
  }

  async function login(input: LoginInput): Promise<User> {
    const response = await authApi.login(input);
    startSession(response);
    return response.user;
  }

  async function signup(input: SignupInput): Promise<User> {
    const response = await authApi.signup(input);
    startSession(response);
    return response.user;
  }

  /** The invitee sets their password through the mailed link and is signed in. */
  async function acceptInvitation(
    invitationToken: string,
    input: InvitationAcceptInput,
  ): Promise<User> {
    const response = await invitationsApi.acceptInvitation(invitationToken, input);
    startSession(response);
    return response.user;
  }

  /**
   * Loads user and tenant for a token found in storage. A 401 ends the session; any other
   * failure (server unreachable) keeps the token so a later attempt can still succeed.
   */
  function restore(): Promise<void> {
    if (!token.value || user.value) return Promise.resolve();
    pendingRestore ??= authApi
      .fetchMe()
      .then(applyIdentity)
      .catch((error: unknown) => {
        if (isApiError(error) && error.status === 401) clearSession();
      })
      .finally(() => {
        pendingRestore = null;
      });
    return pendingRestore;
  }

  /** Reads the user and tenant again (their role or departments may have changed). */
  async function refresh(): Promise<void> {
    if (!token.value) return;
    applyIdentity(await authApi.fetchMe());
  }

  /** The server said TWO_FACTOR_SETUP_REQUIRED: only the setup screen until it is done. */
  function requireTwoFactorSetup(): void {
    if (token.value) isTwoFactorSetupRequired.value = true;
  }

  /**
   * Two-factor was turned on or off here. Turning it off may make the setup required again
   * (an admin of a business that requires it), as the server will say on the next request.
   */
  function applyTwoFactorEnabled(isEnabled: boolean): void {
    if (!user.value) return;
    user.value = { ...user.value, twoFactorEnabled: isEnabled };
    isTwoFactorSetupRequired.value =
      !isEnabled &&
      user.value.role === 'admin' &&
      !!tenant.value?.require2faForAdmins &&
      !tenant.value.demo;
  }

  /**
   * Going offline first stops the queue from assigning new chats to someone who has left; then
   * the server ends the token. Both are best effort: a failure must never keep a person logged
   * in. The panel forgets the session before ending it, so its socket is closed by the panel
   * rather than cut by the server (which would read as "your session has ended").
   */
  async function logout(): Promise<void> {
    const ending = token.value;
    if (ending && user.value && user.value.status !== 'offline') {
      try {
        await authApi.setMyStatus('offline');
      } catch {
        // ignored on purpose, see above
      }
    }
    clearSession();
    if (ending) {
      try {
        await authApi.logout(ending);
      } catch {
        // ignored on purpose, see above; the token still expires on its own
      }
    }
  }

  /** The server keeps this session and ends the others. */
  async function changePassword(input: ChangePasswordInput): Promise<void> {
    isChangingPassword.value = true;
    try {
      await authApi.changePassword(input);
    } finally {
      isChangingPassword.value = false;
    }
  }

  /** Optimistic: the switch moves at once and moves back if the server refuses. */
  async function setStatus(next: PresenceStatus): Promise<void> {
    const current = user.value;
    if (!current || current.status === next) return;
    const previous = current.status;
    user.value = { ...current, status: next };
    isChangingStatus.value = true;
    try {
      user.value = await authApi.setMyStatus(next);
    } catch (error) {
      if (user.value) user.value = { ...user.value, status: previous };
      throw error;
    } finally {
      isChangingStatus.value = false;
    }
  }

  /** Applies a newer copy of the current user (realtime event, admin editing themself). */
  function applyUserUpdate(updated: User): void {
    if (user.value && user.value.id === updated.id) user.value = updated;
  }

  async function updateTenant(input: TenantUpdateInput): Promise<Tenant> {
    isSavingTenant.value = true;
    try {
      tenant.value = await tenantApi.updateTenant(input);
      return tenant.value;
    } finally {
      isSavingTenant.value = false;
    }
  }

  return {
    token,
    user,
    tenant,
    isChangingStatus,
    isSavingTenant,
    isChangingPassword,
    isTwoFactorSetupRequired,
    isAuthenticated,
    isAdmin,
    maySupervise,
    maySteer,
    acceptInvitation,
    hasDemoTools,
    status,
    login,
    signup,
    restore,
    refresh,
    logout,
    changePassword,
    clearSession,
    setStatus,
    applyUserUpdate,
    updateTenant,
    requireTwoFactorSetup,
    applyTwoFactorEnabled,
  };
});
