// The page form's "Department menu" section: its values and rules, testable without a DOM.
import type { FacebookPage, FacebookPageUpdateInput } from '@/api/types';
import type { FieldIssue } from '@/utils/validation';

/** Messenger's quick-reply limits, as the server checks them (department-menu.ts). */
export const DEPARTMENT_MENU_LIMITS = { options: 13, title: 20, prompt: 640 } as const;

export interface DepartmentMenuOptionValues {
  /** Stable across edits, for the list's rows (titles may repeat while typing). */
  key: number;
  title: string;
  /** null until the admin picks one. */
  departmentId: string | null;
}

export interface DepartmentMenuValues {
  enabled: boolean;
  prompt: string;
  options: DepartmentMenuOptionValues[];
}

type DepartmentMenuInput = NonNullable<FacebookPageUpdateInput['departmentMenu']>;

let nextKey = 0;

export function newMenuOption(): DepartmentMenuOptionValues {
  nextKey += 1;
  return { key: nextKey, title: '', departmentId: null };
}

export function menuFormFrom(page: FacebookPage | null): DepartmentMenuValues {
  const menu = page?.departmentMenu;
  return {
    enabled: menu?.enabled ?? false,
    prompt: menu?.prompt ?? '',
    options: (menu?.options ?? []).map((option) => ({ ...newMenuOption(), ...option })),
  };
}

/**
 * The first thing to fix, as one message under the section: a menu that is on needs its
 * question and an option; every option (on or off: they are saved either way) needs a title
 * of 1–20 characters, unique, and a department.
 */
export function validateDepartmentMenu(menu: DepartmentMenuValues): FieldIssue | undefined {
  if (menu.enabled && !menu.prompt.trim()) return { key: 'pages.menu.needsPrompt' };
  if (menu.enabled && menu.options.length === 0) return { key: 'pages.menu.needsOption' };
  const titles = new Set<string>();
  for (const [index, option] of menu.options.entries()) {
    const title = option.title.trim();
    const place = { number: index + 1 };
    if (!title) return { key: 'pages.menu.needsTitle', params: place };
    if (!option.departmentId) return { key: 'pages.menu.needsDepartment', params: place };
    if (titles.has(title.toLocaleLowerCase())) {
      return { key: 'pages.menu.duplicateTitle', params: { title } };
    }
    titles.add(title.toLocaleLowerCase());
  }
  return undefined;
}

/** The menu as PATCH takes it. */
export function departmentMenuInput(menu: DepartmentMenuValues): DepartmentMenuInput {
  return {
    enabled: menu.enabled,
    prompt: menu.prompt.trim() || null,
    options: menu.options.map((option) => ({
      title: option.title.trim(),
      departmentId: option.departmentId ?? '',
    })),
  };
}

/** The menu's input when it differs from the page's, else undefined (nothing to send). */
export function changedDepartmentMenu(
  menu: DepartmentMenuValues,
  original: FacebookPage,
): DepartmentMenuInput | undefined {
  const input = departmentMenuInput(menu);
  const current = original.departmentMenu;
  const isSame =
    input.enabled === current.enabled &&
    input.prompt === current.prompt &&
    JSON.stringify(input.options) === JSON.stringify(current.options);
  return isSame ? undefined : input;
}
