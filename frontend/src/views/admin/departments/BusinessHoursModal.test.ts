import { flushPromises, mount } from '@vue/test-utils';
import { NMessageProvider } from 'naive-ui';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { h } from 'vue';
import type { BusinessHours } from '@/api/types';
import { makeDepartment } from '@/test/factories';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';
import { createTestI18n } from '@/test/i18n';
import BusinessHoursModal from './BusinessHoursModal.vue';

const department = makeDepartment({ name: 'Sales' });
const hoursPath = `/api/departments/${department.id}/hours`;

function mountEditor() {
  return mount(NMessageProvider, {
    slots: {
      default: () => h(BusinessHoursModal, { show: true, department, 'onUpdate:show': () => {} }),
    },
    global: { plugins: [createTestI18n()] },
    attachTo: document.body,
  });
}

const saveButton = () => document.querySelector<HTMLButtonElement>('[data-testid="hours-save"]')!;

describe('BusinessHoursModal', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    document.body.innerHTML = '';
  });

  it('starts a department without hours at office hours and saves them', async () => {
    const none: BusinessHours = {
      timezone: null,
      weekly: [],
      holidays: [],
      awayMessage: null,
      open: true,
    };
    const fetchStub = stubFetch({
      [`GET ${hoursPath}`]: jsonResponse(200, none),
      [`PUT ${hoursPath}`]: jsonResponse(200, { ...none, timezone: 'UTC' }),
    });
    mountEditor();
    await flushPromises();
    expect(document.body.textContent).toContain('No hours are set yet');
    expect(document.body.textContent).toContain('only while Messenger allows a reply');

    saveButton().click();
    await flushPromises();
    const put = fetchStub.requests.find((request) => request.method === 'PUT');
    expect(put?.body).toMatchObject({
      weekly: [1, 2, 3, 4, 5].map((day) => ({ day, from: '09:00', to: '18:00' })),
      holidays: [],
      awayMessage: null,
    });
  });

  it('says what is wrong with overlapping ranges and does not save', async () => {
    const fetchStub = stubFetch({
      [`GET ${hoursPath}`]: jsonResponse(200, {
        timezone: 'Europe/Moscow',
        weekly: [
          { day: 3, from: '09:00', to: '13:00' },
          { day: 3, from: '12:00', to: '18:00' },
        ],
        holidays: ['2026-12-31'],
        awayMessage: 'Closed',
        open: false,
      }),
    });
    mountEditor();
    await flushPromises();
    expect(document.body.textContent).toContain('2026-12-31');

    saveButton().click();
    await flushPromises();
    expect(document.body.textContent).toContain(
      'This range overlaps another range of the same day.',
    );
    expect(fetchStub.requests.some((request) => request.method === 'PUT')).toBe(false);
  });
});
