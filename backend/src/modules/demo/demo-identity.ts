import { createHash, createHmac } from 'node:crypto';

/** The demo business's people; their passwords come from `demoPassword`, never stored plain. */
export const DEMO_LOGINS = [
  { role: 'admin', email: 'admin@demo.omni.test', name: 'Demo Admin' },
  { role: 'operator', email: 'olivia@demo.omni.test', name: 'Olivia Operator' },
  { role: 'operator', email: 'oscar@demo.omni.test', name: 'Oscar Operator' },
  { role: 'reviewer', email: 'reviewer@demo.omni.test', name: 'App Reviewer' },
] as const;

export type DemoLoginSpec = (typeof DEMO_LOGINS)[number];

export const DEMO_TENANT_NAME = 'Omni Demo Coffee';
export const DEMO_DEPARTMENT_NAME = 'Support';
export const DEMO_PAGE_NAME = 'Omni Demo Café';

/** Page tokens of sandbox pages start with this; the Graph client sends them to the sandbox. */
export const SANDBOX_TOKEN_PREFIX = 'SANDBOX-';

export function isSandboxToken(token: string): boolean {
  return token.startsWith(SANDBOX_TOKEN_PREFIX);
}

/** Visitors the simulator can play, each a Messenger user of the sandbox page. */
export const PERSONAS = [
  { id: 'maya', firstName: 'Maya', lastName: 'Rahman', colors: ['#f59e0b', '#b45309'] },
  { id: 'ivan', firstName: 'Ivan', lastName: 'Petrov', colors: ['#3b82f6', '#1d4ed8'] },
  { id: 'sofia', firstName: 'Sofia', lastName: 'García', colors: ['#ec4899', '#be185d'] },
] as const;

export type Persona = (typeof PERSONAS)[number];

export function findPersona(id: string): Persona | undefined {
  return PERSONAS.find((persona) => persona.id === id);
}

/** The persona's page-scoped id on a sandbox page: stable, so a reset keeps the same people. */
export function personaPsid(pageId: string, personaId: string): string {
  const digest = createHash('sha256').update(`${pageId}:${personaId}`).digest();
  return `7${(digest.readBigUInt64BE(0) % 10n ** 15n).toString().padStart(15, '0')}`;
}

/**
 * A demo login's password, derived from the encryption key and the demo tenant's id: the
 * login page can show it in demo mode without storing it, and each reset makes new ones.
 */
export function demoPassword(encryptionKey: Buffer, tenantId: string, email: string): string {
  return createHmac('sha256', encryptionKey)
    .update(`omni-demo-password:${tenantId}:${email}`)
    .digest('base64url')
    .slice(0, 14);
}

/** A round portrait with the persona's initials, served as their Messenger profile picture. */
export function personaPicture(persona: Persona): string {
  const [light, dark] = persona.colors;
  const initials = `${persona.firstName[0]}${persona.lastName[0]}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160" viewBox="0 0 160 160"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${light}"/><stop offset="1" stop-color="${dark}"/></linearGradient></defs><rect width="160" height="160" fill="url(#g)"/><text x="80" y="100" font-family="Helvetica, Arial, sans-serif" font-size="60" font-weight="600" fill="#fff" text-anchor="middle">${initials}</text></svg>`;
}

/** Pictures a visitor can send from the simulator. */
export const SAMPLE_IMAGES = [
  { id: 'receipt', title: 'Order receipt', colors: ['#fef3c7', '#d97706'], label: 'Order #4821' },
  { id: 'cup', title: 'Broken cup', colors: ['#e0f2fe', '#0369a1'], label: '☕ cracked!' },
  { id: 'map', title: 'Where I am', colors: ['#dcfce7', '#15803d'], label: '📍 Gate B' },
] as const;

export type SampleImage = (typeof SAMPLE_IMAGES)[number];

export function findSampleImage(id: string): SampleImage | undefined {
  return SAMPLE_IMAGES.find((image) => image.id === id);
}

/** Quick replies the page offers in the simulator (as a Messenger bot would). */
export const QUICK_REPLIES = [
  { title: 'Track my order', payload: 'TRACK_ORDER' },
  { title: 'Opening hours', payload: 'OPENING_HOURS' },
  { title: 'Talk to a person', payload: 'HUMAN' },
] as const;
