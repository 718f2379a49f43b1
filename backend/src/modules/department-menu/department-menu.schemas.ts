import { z } from 'zod';
import { ERROR_CODE_PARAM, idSchema } from '../../http/schemas.js';
import type { FacebookPage } from '../facebook/facebook-page.entity.js';
import {
  MAX_DEPARTMENT_MENU_OPTIONS,
  MAX_DEPARTMENT_MENU_PROMPT_LENGTH,
  MAX_DEPARTMENT_MENU_TITLE_LENGTH,
} from './department-menu.js';

/** The 400 codes of a department menu that breaks Messenger's quick-reply limits. */
export const DEPARTMENT_MENU_ERRORS = {
  tooManyOptions: 'DEPARTMENT_MENU_TOO_MANY_OPTIONS',
  titleLength: 'DEPARTMENT_MENU_TITLE_LENGTH',
  duplicateTitle: 'DEPARTMENT_MENU_DUPLICATE_TITLE',
  promptTooLong: 'DEPARTMENT_MENU_PROMPT_TOO_LONG',
  /** Switched on without a prompt or without an option (the service checks it). */
  incomplete: 'DEPARTMENT_MENU_INCOMPLETE',
  /** An option names a department the tenant does not have (the service checks it). */
  unknownDepartment: 'DEPARTMENT_MENU_UNKNOWN_DEPARTMENT',
} as const;

const optionInputSchema = z.object({
  title: z
    .string()
    .trim()
    .superRefine((title, context) => {
      if (title.length >= 1 && title.length <= MAX_DEPARTMENT_MENU_TITLE_LENGTH) return;
      context.addIssue({
        code: 'custom',
        message: `Use 1 to ${MAX_DEPARTMENT_MENU_TITLE_LENGTH} characters: Messenger cuts longer quick replies.`,
        params: { [ERROR_CODE_PARAM]: DEPARTMENT_MENU_ERRORS.titleLength },
      });
    }),
  departmentId: idSchema,
});

/**
 * PATCH's `departmentMenu`: any of its three parts; what is left out stays as it is. The
 * options, when given, replace the menu's options in this order.
 */
export const departmentMenuInputSchema = z
  .object({
    enabled: z.boolean().optional(),
    prompt: z
      .string()
      .trim()
      .nullable()
      .optional()
      .transform((prompt) => (prompt === '' ? null : prompt))
      .superRefine((prompt, context) => {
        if (!prompt || prompt.length <= MAX_DEPARTMENT_MENU_PROMPT_LENGTH) return;
        context.addIssue({
          code: 'custom',
          message: `Use at most ${MAX_DEPARTMENT_MENU_PROMPT_LENGTH} characters.`,
          params: { [ERROR_CODE_PARAM]: DEPARTMENT_MENU_ERRORS.promptTooLong },
        });
      }),
    options: z
      .array(optionInputSchema)
      .optional()
      .superRefine((options, context) => {
        if (!options) return;
        if (options.length > MAX_DEPARTMENT_MENU_OPTIONS) {
          context.addIssue({
            code: 'custom',
            message: `Messenger shows at most ${MAX_DEPARTMENT_MENU_OPTIONS} quick replies.`,
            params: { [ERROR_CODE_PARAM]: DEPARTMENT_MENU_ERRORS.tooManyOptions },
          });
        }
        const seen = new Set<string>();
        options.forEach((option, index) => {
          const key = option.title.toLocaleLowerCase();
          if (seen.has(key)) {
            context.addIssue({
              code: 'custom',
              path: [index, 'title'],
              message: 'Another option has this title: the visitor could not tell them apart.',
              params: { [ERROR_CODE_PARAM]: DEPARTMENT_MENU_ERRORS.duplicateTitle },
            });
          }
          seen.add(key);
        });
      }),
  })
  .meta({
    id: 'DepartmentMenuInput',
    description: `Greets a new Messenger conversation with quick replies, one per department (at most ${MAX_DEPARTMENT_MENU_OPTIONS}, titles of 1–${MAX_DEPARTMENT_MENU_TITLE_LENGTH} characters). Enabling it needs a prompt and an option (else 400 ${DEPARTMENT_MENU_ERRORS.incomplete}); each option's department must be the tenant's (else 400 ${DEPARTMENT_MENU_ERRORS.unknownDepartment}).`,
  });

export type DepartmentMenuInput = z.infer<typeof departmentMenuInputSchema>;

export const departmentMenuSchema = z
  .object({
    enabled: z.boolean(),
    prompt: z.string().nullable().meta({ description: 'The question sent with the quick replies' }),
    options: z
      .array(z.object({ title: z.string(), departmentId: z.string() }))
      .meta({ description: "In the menu's order; an option goes with its department" }),
  })
  .meta({ id: 'DepartmentMenu' });

export type DepartmentMenuDto = z.infer<typeof departmentMenuSchema>;

/** The page's menu as the api shows it (its options loaded). */
export function toDepartmentMenuDto(page: FacebookPage): DepartmentMenuDto {
  return {
    enabled: page.departmentMenuEnabled,
    prompt: page.departmentMenuPrompt,
    options: page.departmentMenuOptions.getItems().map((option) => ({
      title: option.title,
      departmentId: option.department.id,
    })),
  };
}
