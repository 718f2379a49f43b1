import type { QuickReply } from '../replies/quick-reply.js';
import type { TenantLanguage } from '../tenants/tenant.entity.js';

/** The ratings a visitor may give, as the survey's quick replies offer them. */
export const CSAT_SCORES = [1, 2, 3, 4, 5] as const;

/** The question when the tenant has not written its own. */
export const DEFAULT_CSAT_QUESTIONS: Record<TenantLanguage, string> = {
  en: 'How would you rate our help today? Choose from 1 (poor) to 5 (excellent).',
  ru: 'Как вы оцениваете нашу помощь? Выберите от 1 (плохо) до 5 (отлично).',
  bn: 'আজ আমাদের সহায়তাকে আপনি কেমন মূল্যায়ন করবেন? ১ (খারাপ) থেকে ৫ (চমৎকার) বেছে নিন।',
};

/** The payload of a rating's quick reply: the conversation it rates and the score. */
export function csatPayload(conversationId: string, score: number): string {
  return `CSAT:${conversationId}:${score}`;
}

/** The survey's quick replies, 1 to 5. */
export function csatQuickReplies(conversationId: string): QuickReply[] {
  return CSAT_SCORES.map((score) => ({
    content_type: 'text',
    title: String(score),
    payload: csatPayload(conversationId, score),
  }));
}

const PAYLOAD = /^CSAT:([0-9a-f-]{36}):([1-5])$/i;

/** The conversation and score a quick reply's payload names; null: not a rating. */
export function parseCsatPayload(
  payload: string | null | undefined,
): { conversationId: string; score: number } | null {
  const match = payload ? PAYLOAD.exec(payload) : null;
  if (!match) return null;
  return { conversationId: match[1]!.toLowerCase(), score: Number(match[2]) };
}
