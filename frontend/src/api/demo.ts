// The demo tenant's tools: the login page's demo accounts, the Messenger simulator and the App
// Review kit. Everything but getDemoInfo answers 404 NOT_FOUND outside the demo tenant.
import { http } from './http';
import type {
  DemoInfo,
  ReviewKit,
  SimulatorMessageInput,
  SimulatorSetup,
  SimulatorThread,
  SimulatorThreadItem,
} from './types';

const encode = encodeURIComponent;

/** Public: the login page asks before anyone has signed in. */
export function getDemoInfo(): Promise<DemoInfo> {
  return http.get<DemoInfo>('/api/demo', { authenticated: false });
}

export function getSimulatorSetup(): Promise<SimulatorSetup> {
  return http.get<SimulatorSetup>('/api/demo/simulator');
}

export function getSimulatorThread(personaId: string): Promise<SimulatorThread> {
  return http.get<SimulatorThread>(`/api/demo/simulator/thread?personaId=${encode(personaId)}`);
}

/** Posts a real signed webhook to the tenant's callback URL, as Facebook would. */
export function sendSimulatorMessage(input: SimulatorMessageInput): Promise<SimulatorThreadItem> {
  return http.post<SimulatorThreadItem>('/api/demo/simulator/messages', input);
}

/** The visitor has seen the page's replies: Omni gets Messenger's delivery and read webhooks. */
export function markSimulatorThreadRead(personaId: string): Promise<void> {
  return http.post('/api/demo/simulator/read', { personaId });
}

export function getReviewKit(): Promise<ReviewKit> {
  return http.get<ReviewKit>('/api/demo/review-kit');
}

/**
 * Admins: the demo's conversations start afresh (a new sandbox page; the logins stay), for a
 * clean recording.
 */
export function resetDemo(): Promise<void> {
  return http.post('/api/demo/reset');
}
