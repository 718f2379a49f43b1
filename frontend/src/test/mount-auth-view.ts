import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import type { Component } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { createTestI18n } from './i18n';

/** Mounts the login or sign-up page at its route, with the other one stubbed, as the app would. */
export async function mountAuthView(view: Component, name: 'login' | 'signup') {
  const Stub = { render: () => null };
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: name === 'login' ? view : Stub },
      { path: '/signup', name: 'signup', component: name === 'signup' ? view : Stub },
      { path: '/forgot-password', name: 'forgot-password', component: Stub },
    ],
  });
  await router.push(`/${name}`);
  const wrapper = mount(view, { global: { plugins: [createPinia(), router, createTestI18n()] } });
  await flushPromises();
  return wrapper;
}
