import { describe, expect, it } from 'vitest';
import { makeFacebookPage } from '@/test/factories';
import { buildUpdatePayload, pageFormFrom, validatePageForm } from './page-form';
import { menuFormFrom, newMenuOption, validateDepartmentMenu } from './department-menu-form';

const menuPage = makeFacebookPage({
  departmentMenu: {
    enabled: true,
    prompt: 'Who would you like to talk to?',
    options: [
      { title: 'Sales', departmentId: 'dep-sales' },
      { title: 'Billing', departmentId: 'dep-billing' },
    ],
  },
});

describe('the department menu section', () => {
  it('starts from the page’s menu and sends nothing when untouched', () => {
    const form = pageFormFrom(menuPage);
    expect(form.departmentMenu.options.map(({ title }) => title)).toEqual(['Sales', 'Billing']);
    expect(buildUpdatePayload(form, menuPage)).toEqual({});
  });

  it('sends the whole menu, trimmed and in order, once anything in it changes', () => {
    const form = pageFormFrom(menuPage);
    form.departmentMenu.options.reverse();
    form.departmentMenu.options.push({
      ...newMenuOption(),
      title: ' Support ',
      departmentId: 'dep-support',
    });
    expect(buildUpdatePayload(form, menuPage)).toEqual({
      departmentMenu: {
        enabled: true,
        prompt: 'Who would you like to talk to?',
        options: [
          { title: 'Billing', departmentId: 'dep-billing' },
          { title: 'Sales', departmentId: 'dep-sales' },
          { title: 'Support', departmentId: 'dep-support' },
        ],
      },
    });
  });

  it('asks for a question and a button when on, and a title and department on every button', () => {
    const menu = menuFormFrom(null);
    expect(validateDepartmentMenu(menu)).toBeUndefined(); // off and empty: fine
    menu.enabled = true;
    expect(validateDepartmentMenu(menu)?.key).toBe('pages.menu.needsPrompt');
    menu.prompt = 'Who?';
    expect(validateDepartmentMenu(menu)?.key).toBe('pages.menu.needsOption');
    menu.options.push(newMenuOption());
    expect(validateDepartmentMenu(menu)).toEqual({
      key: 'pages.menu.needsTitle',
      params: { number: 1 },
    });
    menu.options[0]!.title = 'Sales';
    expect(validateDepartmentMenu(menu)?.key).toBe('pages.menu.needsDepartment');
    menu.options[0]!.departmentId = 'dep-sales';
    menu.options.push({ ...newMenuOption(), title: 'sales ', departmentId: 'dep-billing' });
    expect(validateDepartmentMenu(menu)).toEqual({
      key: 'pages.menu.duplicateTitle',
      params: { title: 'sales' },
    });
  });

  it('is checked with the rest of an edited page', () => {
    const form = pageFormFrom(menuPage);
    form.departmentMenu.prompt = ' ';
    expect(validatePageForm(form, { kind: 'edit', page: menuPage }).departmentMenu?.key).toBe(
      'pages.menu.needsPrompt',
    );
  });
});
