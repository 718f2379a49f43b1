import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import './styles/base.css';
import App from './App.vue';
import { configureHttpAuth } from './api/http';
import { createAppI18n, persistLocale } from './i18n';
import { connectRealtime, disconnectRealtime } from './realtime/socket';
import { createAppRouter, installNavigationGuards } from './router';
import { useAlertPreferencesStore } from './stores/alert-preferences';
import { useCannedResponsesStore } from './stores/canned-responses';
import { useConversationsStore } from './stores/conversations';
import { useOversightStore } from './stores/oversight';
import { useDemoStore } from './stores/demo';
import { useDepartmentsStore } from './stores/departments';
import { useFacebookPagesStore } from './stores/facebook-pages';
import { useMentionsStore } from './stores/mentions';
import { useApiTokensStore } from './stores/api-tokens';
import { useWebhookSubscriptionsStore } from './stores/webhook-subscriptions';
import { useLabelsStore } from './stores/labels';
import { useMessagesStore } from './stores/messages';
import { useOperatorsStore } from './stores/operators';
import { usePageHealthStore } from './stores/page-health';
import { useQueueStore } from './stores/queue';
import { useSessionStore } from './stores/session';
import { useTwoFactorStore } from './stores/two-factor';

// The wiring of the panel, in one place: who reads the token, what ends a session, what a
// session change sets off. Modules below stay unaware of each other.
const app = createApp(App);
const pinia = createPinia();
const i18n = createAppI18n();
const router = createAppRouter();

app.use(pinia);
app.use(i18n);
persistLocale(i18n.global.locale.value);

const session = useSessionStore(pinia);

/** The server no longer honours the token (API 401, socket refused): back to the login. */
function endSession(): void {
  const current = router.currentRoute.value;
  session.clearSession();
  // During the first navigation the guard itself sends the visitor to /login.
  if (current.meta.requiresAuth) {
    void router.replace({
      name: 'login',
      query: { redirect: current.fullPath, reason: 'expired' },
    });
  }
}

configureHttpAuth({
  getToken: () => session.token,
  onUnauthenticated: endSession,
  onTwoFactorSetupRequired: session.requireTwoFactorSetup,
});

installNavigationGuards(router, session);

// An admin who must set up two-factor (told at sign-in, by a 403, or after switching the rule on
// or their own second factor off) sees only the setup screen until it is done.
watch(
  () => session.isTwoFactorSetupRequired,
  (isRequired) => {
    const current = router.currentRoute.value;
    if (isRequired && current.matched.length > 0 && !current.meta.isTwoFactorSetup) {
      void router.replace({ name: 'two-factor-setup' });
    }
  },
);

// The realtime connection also tells the queue the operator is here (presence), so a page
// that is not the operator's panel (the demo's simulator, playing the visitor) opens none.
watch(
  () => {
    const route = router.currentRoute.value;
    // Before the first navigation resolves (no route matched yet) there is nothing to decide.
    const wantsRealtime = route.matched.length > 0 && !route.meta.withoutRealtime;
    return session.isAuthenticated && wantsRealtime ? session.token : null;
  },
  (token) =>
    token
      ? connectRealtime(token, endSession, session.requireTwoFactorSetup)
      : disconnectRealtime(),
  { immediate: true },
);

watch(
  () => session.isAuthenticated,
  (isAuthenticated) => {
    if (isAuthenticated) return;
    // Never show one tenant's lists to the next person who signs in on this tab.
    useDepartmentsStore(pinia).reset();
    useOperatorsStore(pinia).reset();
    useFacebookPagesStore(pinia).reset();
    useConversationsStore(pinia).reset();
    useOversightStore(pinia).reset();
    useMessagesStore(pinia).reset();
    useQueueStore(pinia).reset();
    useDemoStore(pinia).reset();
    useCannedResponsesStore(pinia).reset();
    useMentionsStore(pinia).reset();
    useLabelsStore(pinia).reset();
    useApiTokensStore(pinia).reset();
    useWebhookSubscriptionsStore(pinia).reset();
    useAlertPreferencesStore(pinia).reset();
    usePageHealthStore(pinia).reset();
    useTwoFactorStore(pinia).reset();
  },
);

app.use(router);
app.mount('#app');
