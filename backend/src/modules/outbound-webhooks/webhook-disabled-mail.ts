import type { EntityManager } from '@mikro-orm/postgresql';
import type { MailComposer } from '../mail/mail.service.js';
import { renderMail } from '../mail/mail-templates.js';
import { User } from '../operators/user.entity.js';
import { WebhookSubscription } from './webhook-subscription.entity.js';

/**
 * Writes the mail that tells an admin Omni disabled a failing webhook, in the tenant's
 * language. Nothing once an admin enabled it again (or deleted it), or the recipient is no
 * longer an admin.
 */
export function webhookDisabledMail(em: EntityManager, publicUrl: string): MailComposer {
  return async (id, recipientId) => {
    if (!recipientId) return null;
    const subscription = await em.findOne(
      WebhookSubscription,
      { id, enabled: false, disabledAt: { $ne: null } },
      { populate: ['tenant'] },
    );
    const admin = await em.findOne(User, { id: recipientId, role: 'admin' });
    if (!subscription || !admin) return null;
    const mail = renderMail('webhook-disabled', subscription.tenant.language, {
      name: admin.name,
      url: subscription.url,
      failingSince: subscription.failingSince ?? subscription.disabledAt!,
      link: `${publicUrl}/admin/webhooks`,
    });
    return { ...mail, to: admin.email };
  };
}
