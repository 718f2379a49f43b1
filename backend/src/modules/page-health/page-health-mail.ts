import type { EntityManager } from '@mikro-orm/postgresql';
import type { MailComposer } from '../mail/mail.service.js';
import { renderMail } from '../mail/mail-templates.js';
import { User } from '../operators/user.entity.js';
import { PageIncident } from './page-incident.entity.js';

/**
 * Writes an incident's mail to one admin when it is sent, in the tenant's language: what
 * broke and where to fix it. Nothing once the incident closed (the page works again) or the
 * recipient is no longer an admin.
 */
export function pageIncidentMail(em: EntityManager, publicUrl: string): MailComposer {
  return async (id, recipientId) => {
    if (!recipientId) return null;
    const incident = await em.findOne(
      PageIncident,
      { id, closedAt: null },
      { populate: ['page', 'tenant'] },
    );
    const admin = await em.findOne(User, { id: recipientId, role: 'admin' });
    if (!incident || !admin) return null;
    const { page, tenant } = incident;
    const common = {
      name: admin.name,
      pageName: page.name,
      facebookName: page.pageName,
      link: `${publicUrl}/admin/pages`,
    };
    const mail =
      incident.reason === 'permissions_missing'
        ? renderMail('page-permissions-missing', tenant.language, {
            ...common,
            permissions: page.missingPermissions.join(', '),
          })
        : renderMail('page-token-invalid', tenant.language, common);
    return { ...mail, to: admin.email };
  };
}
