import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { Attachment } from '@/api/types';
import { createTestI18n } from '@/test/i18n';
import MessageAttachment from './MessageAttachment.vue';

function attachment(fields: Partial<Attachment>): Attachment {
  return {
    kind: 'file',
    url: null,
    fileUrl: null,
    title: 'invoice',
    stickerId: null,
    coordinates: null,
    ...fields,
  };
}

function render(fields: Partial<Attachment>) {
  return mount(MessageAttachment, {
    props: { attachment: attachment(fields) },
    global: { plugins: [createTestI18n()] },
  });
}

describe('MessageAttachment', () => {
  it('never turns a javascript: or data: link into something to click', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>']) {
      const view = render({ url });
      expect(view.find('a').exists()).toBe(false);
      expect(view.html()).not.toContain(url);
    }
  });

  it("links Omni's own copy of a file", () => {
    const view = render({ fileUrl: '/api/files/f1?expires=1&signature=ab' });
    expect(view.get('a').attributes('href')).toBe('/api/files/f1?expires=1&signature=ab');
  });

  it('offers a picture that cannot be shown (an SVG served as a download) as a link', async () => {
    const view = render({ kind: 'image', fileUrl: '/api/files/f2?expires=1&signature=ab' });
    await view.get('img').trigger('error');
    expect(view.get('a').attributes('href')).toBe('/api/files/f2?expires=1&signature=ab');
  });
});
