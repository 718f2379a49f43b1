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

/** The App Review co-pilot's checks of one page, in the order an admin works through them. */
export const READINESS_CHECK_IDS = [
  'token',
  'permissions',
  'webhook',
  'subscription',
  'first_message',
  'human_agent',
] as const;
export type ReadinessCheckId = (typeof READINESS_CHECK_IDS)[number];

/** Why a check is not passed, for the panel to explain in the admin's language. */
export const READINESS_PROBLEMS = [
  /** Facebook refuses the page's token (or it cannot be looked at while it does). */
  'token_refused',
  /** Facebook did not answer in time: check again in a minute. */
  'facebook_unavailable',
  /** Facebook answered with an error of its own, in `detail`. */
  'facebook_error',
  /** Permissions or subscribed fields are missing, named in `missing`. */
  'missing',
  'not_verified',
  'no_message',
  'off',
] as const;
export type ReadinessProblem = (typeof READINESS_PROBLEMS)[number];

export const readinessCheckSchema = z
  .object({
    id: z.enum(READINESS_CHECK_IDS),
    ok: z.boolean(),
    detail: z
      .string()
      .meta({ description: 'What was found, naming exactly what is missing (in English)' }),
    problem: z.enum(READINESS_PROBLEMS).nullable().meta({ description: 'null when ok' }),
    missing: z
      .array(z.string())
      .meta({ description: 'The missing permissions or subscribed fields; [] otherwise' }),
  })
  .meta({ id: 'PageReadinessCheck' });

export const pageReadinessSchema = z
  .object({ checks: z.array(readinessCheckSchema) })
  .meta({ id: 'PageReadiness' });

export type ReadinessCheck = z.infer<typeof readinessCheckSchema>;
export type PageReadiness = z.infer<typeof pageReadinessSchema>;
