import { z } from 'zod';
import {
  canonicalTimeZone,
  minutesOf,
  overlappingRanges,
  type BusinessHours,
} from './business-hours.js';

const timeSchema = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'Use a time as HH:MM, e.g. 09:00.');

const weeklyRangeSchema = z
  .object({
    day: z
      .number()
      .int()
      .min(1, 'Use a day from 1 (Monday) to 7 (Sunday).')
      .max(7, 'Use a day from 1 (Monday) to 7 (Sunday).'),
    from: timeSchema.meta({ description: 'Inclusive, local time' }),
    to: timeSchema.meta({ description: 'Exclusive, local time; "24:00" is the end of the day' }),
  })
  .refine((range) => minutesOf(range.from) < minutesOf(range.to), {
    message: 'The end must be after the start.',
    path: ['to'],
  });

export const businessHoursInputSchema = z
  .object({
    timezone: z
      .string()
      .trim()
      .min(1, 'Choose a time zone.')
      .transform((name, context) => {
        const canonical = canonicalTimeZone(name);
        if (canonical === null) {
          context.addIssue({ code: 'custom', message: 'Choose an existing IANA time zone.' });
          return z.NEVER;
        }
        return canonical;
      })
      .meta({ example: 'Europe/Moscow', description: 'An IANA time zone' }),
    weekly: z
      .array(weeklyRangeSchema)
      .max(70, 'Use at most 70 ranges.')
      .superRefine((weekly, context) => {
        for (const index of overlappingRanges(weekly)) {
          context.addIssue({
            code: 'custom',
            message: 'This range overlaps another range of the same day.',
            path: [index, 'from'],
          });
        }
      }),
    holidays: z
      .array(z.iso.date('Use a date as YYYY-MM-DD.'))
      .max(366, 'Use at most 366 holidays.')
      .transform((days) => [...new Set(days)].sort()),
    awayMessage: z
      .string()
      .trim()
      .max(2000, 'Use at most 2000 characters.')
      .nullish()
      .transform((text) => (text ? text : null)),
  })
  .meta({ id: 'BusinessHoursInput' });

export type BusinessHoursInput = z.output<typeof businessHoursInputSchema>;

export const businessHoursSchema = z
  .object({
    timezone: z
      .string()
      .nullable()
      .meta({ description: 'null: no hours set, the department is always open' }),
    weekly: z.array(z.object({ day: z.number().int(), from: z.string(), to: z.string() })),
    holidays: z.array(z.string()),
    awayMessage: z.string().nullable(),
    open: z.boolean().meta({ description: 'Open right now' }),
  })
  .meta({ id: 'BusinessHours' });

export type BusinessHoursDto = z.infer<typeof businessHoursSchema>;

export function toBusinessHoursDto(hours: BusinessHours | null, open: boolean): BusinessHoursDto {
  if (!hours) return { timezone: null, weekly: [], holidays: [], awayMessage: null, open };
  return { ...hours, weekly: sortedRanges(hours.weekly), open };
}

function sortedRanges(weekly: BusinessHours['weekly']): BusinessHours['weekly'] {
  return [...weekly].sort((a, b) => a.day - b.day || minutesOf(a.from) - minutesOf(b.from));
}
