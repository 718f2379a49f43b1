import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import * as departmentsApi from '@/api/departments';
import type { Department, DepartmentInput } from '@/api/types';

export const useDepartmentsStore = defineStore('departments', () => {
  const items = ref<Department[]>([]);
  const hasLoaded = ref(false);
  /** Per-operation flags, so a save spinner never blanks the table (Chatwoot's uiFlags). */
  const uiFlags = reactive({
    isFetching: false,
    isCreating: false,
    isUpdating: false,
    deletingId: null as string | null,
  });

  const byId = computed(
    () => new Map(items.value.map((department) => [department.id, department])),
  );
  const sortedByName = computed(() =>
    [...items.value].sort((a, b) => a.name.localeCompare(b.name)),
  );

  async function fetchAll(): Promise<void> {
    uiFlags.isFetching = true;
    try {
      items.value = await departmentsApi.listDepartments();
      hasLoaded.value = true;
    } finally {
      uiFlags.isFetching = false;
    }
  }

  async function create(input: DepartmentInput): Promise<Department> {
    uiFlags.isCreating = true;
    try {
      const department = await departmentsApi.createDepartment(input);
      items.value = [...items.value, department];
      return department;
    } finally {
      uiFlags.isCreating = false;
    }
  }

  async function rename(id: string, input: DepartmentInput): Promise<Department> {
    uiFlags.isUpdating = true;
    try {
      const department = await departmentsApi.updateDepartment(id, input);
      items.value = items.value.map((item) => (item.id === id ? department : item));
      return department;
    } finally {
      uiFlags.isUpdating = false;
    }
  }

  async function remove(id: string): Promise<void> {
    uiFlags.deletingId = id;
    try {
      await departmentsApi.deleteDepartment(id);
      items.value = items.value.filter((item) => item.id !== id);
    } finally {
      uiFlags.deletingId = null;
    }
  }

  /** Drops another tenant's data when the session ends. */
  function reset(): void {
    items.value = [];
    hasLoaded.value = false;
  }

  return { items, hasLoaded, uiFlags, byId, sortedByName, fetchAll, create, rename, remove, reset };
});
