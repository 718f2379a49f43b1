import { describe, expect, it } from 'vitest';
import type { ReviewKit, ReviewKitPage } from '@/api/types';
import {
  HUMAN_AGENT_STEPS,
  INSTRUCTION_STEPS,
  KIT_LANGUAGES,
  REVIEW_PERMISSIONS,
  SCREENCAST_STEPS,
  buildReviewKitContent,
  instructionsAsText,
  kitLanguageFor,
  realPagesOf,
} from './review-kit-content';

const sandboxPage: ReviewKitPage = {
  id: 'p-sandbox',
  name: 'Omni Demo Coffee',
  pageName: 'Omni Demo Coffee',
  pageId: '9000000000000001',
  sandbox: true,
  messengerUrl: 'https://m.me/9000000000000001',
};
const realPage: ReviewKitPage = {
  id: 'p-real',
  name: 'Our page',
  pageName: 'Bean There Café',
  pageId: '1234567890123456',
  sandbox: false,
  messengerUrl: 'https://m.me/1234567890123456',
};

const kit: ReviewKit = {
  loginUrl: 'https://demo.omni.example/login',
  panelUrl: 'https://demo.omni.example/workspace',
  simulatorUrl: 'https://demo.omni.example/simulator',
  callbackUrl: 'https://demo.omni.example/api/webhooks/facebook/tk_demo',
  dataDeletionUrl: 'https://demo.omni.example/data-deletion/tk_demo',
  pageName: 'Omni Demo Coffee',
  logins: [
    { role: 'admin', name: 'Ada Admin', email: 'admin@demo.test', password: 'admin-pass-1' },
    { role: 'reviewer', name: 'Meta Reviewer', email: 'review@demo.test', password: 'rev-pass-2' },
  ],
  pages: [sandboxPage, realPage],
};

describe('App Review kit content', () => {
  it('has the same steps and permissions in English and Russian', () => {
    for (const language of KIT_LANGUAGES) {
      const content = buildReviewKitContent(language, kit);
      expect(content.instructions.steps.map((step) => step.id)).toEqual([...INSTRUCTION_STEPS]);
      expect(content.screencast.steps.map((step) => step.id)).toEqual([...SCREENCAST_STEPS]);
      expect(content.permissions.items.map((item) => item.permission)).toEqual([
        'pages_messaging',
        'pages_manage_metadata',
        'pages_read_engagement',
        'pages_show_list',
      ]);
      // Each paragraph names its permission, so a pasted paragraph stands on its own.
      for (const item of content.permissions.items) expect(item.text).toContain(item.permission);
    }
    expect(INSTRUCTION_STEPS).toHaveLength(7);
    expect(REVIEW_PERMISSIONS).toHaveLength(4);
  });

  it('fills in the reviewer’s login, the links and the page, with nothing left blank', () => {
    for (const language of KIT_LANGUAGES) {
      const content = buildReviewKitContent(language, kit);
      const steps = instructionsAsText(content);

      expect(steps).toContain('https://demo.omni.example/login');
      expect(steps).toContain('review@demo.test');
      expect(steps).toContain('rev-pass-2');
      expect(steps).toContain('https://demo.omni.example/simulator');
      expect(steps).toContain('https://demo.omni.example/workspace');
      expect(steps).toContain('Omni Demo Coffee');
      expect(steps).not.toContain('admin@demo.test');
      expect(content.screencast.steps[0]?.text).toContain(kit.callbackUrl);
      expect(content.instructions.fields.map((field) => field.value)).toEqual([
        kit.loginUrl,
        'review@demo.test',
        'rev-pass-2',
        kit.simulatorUrl,
        kit.dataDeletionUrl,
      ]);
      const everything = JSON.stringify(content);
      expect(everything).not.toMatch(/undefined|\$\{|\{\w+\}/);
    }
  });

  it('copies the steps as a numbered list', () => {
    const lines = instructionsAsText(buildReviewKitContent('en', kit)).split('\n');

    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe(`1. Open ${kit.loginUrl} in a desktop browser (Chrome or Firefox).`);
    expect(lines[6]?.startsWith('7. ')).toBe(true);
  });

  it('in real-Page mode sends the reviewer to the page’s m.me link instead of the simulator', () => {
    expect(realPagesOf(kit)).toEqual([realPage]);
    for (const language of KIT_LANGUAGES) {
      const content = buildReviewKitContent(language, kit, realPage);
      const steps = instructionsAsText(content);

      expect(steps).toContain('https://m.me/1234567890123456');
      expect(steps).toContain('Bean There Café');
      expect(steps).not.toContain(kit.simulatorUrl);
      // Where the reviewer writes takes the simulator's place among the fields.
      expect(content.instructions.fields.map((field) => field.id)).toEqual([
        'loginUrl',
        'email',
        'password',
        'messengerUrl',
        'dataDeletionUrl',
      ]);
      expect(content.instructions.fields[3]?.value).toBe('https://m.me/1234567890123456');
      const screencast = content.screencast.steps.map((step) => step.text).join('\n');
      expect(screencast).toContain('https://m.me/1234567890123456');
      expect(screencast).not.toContain(kit.simulatorUrl);
      const humanAgent = content.humanAgent.steps.map((step) => step.text).join('\n');
      expect(humanAgent).not.toContain(kit.simulatorUrl);
      expect(JSON.stringify(content)).not.toMatch(/undefined|null|\$\{|\{\w+\}/);
    }
  });

  it('has a Human Agent justification and a screencast of a reply after 24 hours', () => {
    for (const language of KIT_LANGUAGES) {
      const { humanAgent } = buildReviewKitContent(language, kit);

      expect(humanAgent.steps.map((step) => step.id)).toEqual([...HUMAN_AGENT_STEPS]);
      expect(humanAgent.justification).toContain('HUMAN_AGENT');
      expect(humanAgent.justification).toContain('7');
      // In the simulator, the visitor's message is dated back past the 24-hour window.
      const oldMessage = humanAgent.steps.find((step) => step.id === 'old-message')!.text;
      expect(oldMessage).toContain(kit.simulatorUrl);
      expect(oldMessage).toMatch(/25/);
    }
  });

  it('is in Russian when the panel is, and in English otherwise', () => {
    expect(kitLanguageFor('ru')).toBe('ru');
    expect(kitLanguageFor('en')).toBe('en');
    expect(kitLanguageFor('bn')).toBe('en');
  });
});
