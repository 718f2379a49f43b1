import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../../errors.js';
import { Department } from '../departments/department.entity.js';
import { DepartmentMenuOption, type FacebookPage } from '../facebook/facebook-page.entity.js';
import { DEPARTMENT_MENU_ERRORS, type DepartmentMenuInput } from './department-menu.schemas.js';

/**
 * Applies an admin's change of a page's department menu (unflushed; the page's options
 * loaded): the parts given replace the current ones, every option names one of the tenant's
 * departments, and a menu switched on has a prompt and an option.
 */
export async function applyDepartmentMenu(
  em: EntityManager,
  page: FacebookPage,
  input: DepartmentMenuInput,
): Promise<void> {
  if (input.options !== undefined) {
    const wanted = [...new Set(input.options.map((option) => option.departmentId))];
    // Through the tenant filter: another tenant's department is unknown here.
    const departments = new Map(
      (await em.find(Department, { id: { $in: wanted } })).map((department) => [
        department.id,
        department,
      ]),
    );
    const unknown: Record<string, string> = {};
    input.options.forEach((option, index) => {
      if (!departments.has(option.departmentId.toLowerCase())) {
        unknown[`departmentMenu.options.${index}.departmentId`] = 'There is no such department.';
      }
    });
    if (Object.keys(unknown).length > 0) {
      throw new ValidationError(
        unknown,
        'An option of the menu points to a department that does not exist.',
        DEPARTMENT_MENU_ERRORS.unknownDepartment,
      );
    }
    page.departmentMenuOptions.set(
      input.options.map(
        (option, position) =>
          new DepartmentMenuOption(
            page.tenant,
            page,
            departments.get(option.departmentId.toLowerCase())!,
            option.title,
            position,
          ),
      ),
    );
  }
  if (input.prompt !== undefined) page.departmentMenuPrompt = input.prompt;
  if (input.enabled !== undefined) page.departmentMenuEnabled = input.enabled;
  if (!page.departmentMenuEnabled) return;
  const missing: Record<string, string> = {};
  if (!page.departmentMenuPrompt) {
    missing['departmentMenu.prompt'] = 'Write the question the visitor answers.';
  }
  if (page.departmentMenuOptions.count() === 0) {
    missing['departmentMenu.options'] = 'Add at least one department to choose from.';
  }
  if (Object.keys(missing).length > 0) {
    throw new ValidationError(
      missing,
      'A department menu needs a question and at least one option.',
      DEPARTMENT_MENU_ERRORS.incomplete,
    );
  }
}
