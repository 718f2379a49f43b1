import type { Tenant } from '@/api/types';

/**
 * The survey question a visitor gets when the tenant wrote none, in the tenant's language
 * (the server's DEFAULT_CSAT_QUESTIONS, shown as the field's placeholder).
 */
export const DEFAULT_CSAT_QUESTIONS: Record<Tenant['language'], string> = {
  en: 'How would you rate our help today? Choose from 1 (poor) to 5 (excellent).',
  ru: 'Как вы оцениваете нашу помощь? Выберите от 1 (плохо) до 5 (отлично).',
  bn: 'আজ আমাদের সহায়তাকে আপনি কেমন মূল্যায়ন করবেন? ১ (খারাপ) থেকে ৫ (চমৎকার) বেছে নিন।',
};
