import { z } from 'zod';
import type { FacebookPage } from '../facebook/facebook-page.entity.js';

/** Why a page cannot work: its token is refused, or it lacks permissions it needs. */
export const INCIDENT_KINDS = ['token_invalid', 'permissions_missing'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/**
 * A page's health as every user who works its conversations sees it (operators of its
 * department, everyone for a page without one, the admins): what `page.updated` carries and
 * `GET /api/page-health` lists. No secret and no setup detail: those are the admins'.
 */
export const pageHealthSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    pageName: z.string(),
    departmentId: z.string().nullable(),
    healthy: z.boolean().meta({ description: 'The token works and has every permission needed.' }),
    tokenValid: z.boolean(),
    missingPermissions: z.array(z.string()),
    checkedAt: z.iso.datetime().nullable(),
    incident: z
      .object({
        id: z.string(),
        kind: z.enum(INCIDENT_KINDS),
        openedAt: z.iso.datetime(),
      })
      .nullable()
      .meta({
        description:
          'The open incident while the page is unhealthy: a banner dismissed for one comes back for the next.',
      }),
  })
  .meta({ id: 'PageHealth' });

export type PageHealthDto = z.infer<typeof pageHealthSchema>;

/** The open incident of a page, as page-health.repository.ts reads it. */
export type OpenIncident = { id: string; kind: IncidentKind; openedAt: Date };

export function isHealthy(page: Pick<FacebookPage, 'tokenValid' | 'missingPermissions'>): boolean {
  return page.tokenValid && page.missingPermissions.length === 0;
}

/** What is wrong with an unhealthy page; a dead token outweighs missing permissions. */
export function incidentKindOf(page: Pick<FacebookPage, 'tokenValid'>): IncidentKind {
  return page.tokenValid ? 'permissions_missing' : 'token_invalid';
}

export function toPageHealthDto(page: FacebookPage, incident: OpenIncident | null): PageHealthDto {
  return {
    id: page.id,
    name: page.name,
    pageName: page.pageName,
    departmentId: page.department?.id ?? null,
    healthy: isHealthy(page),
    tokenValid: page.tokenValid,
    missingPermissions: [...page.missingPermissions],
    checkedAt: page.healthCheckedAt?.toISOString() ?? null,
    incident: incident && {
      id: incident.id,
      kind: incident.kind,
      openedAt: incident.openedAt.toISOString(),
    },
  };
}
