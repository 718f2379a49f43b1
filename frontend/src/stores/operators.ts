import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import * as operatorsApi from '@/api/operators';
import type { OperatorCreateInput, OperatorUpdateInput, User } from '@/api/types';

export const useOperatorsStore = defineStore('operators', () => {
  const items = ref<User[]>([]);
  const hasLoaded = ref(false);
  const uiFlags = reactive({
    isFetching: false,
    isCreating: false,
    isUpdating: false,
    deletingId: null as string | null,
  });

  async function fetchAll(): Promise<void> {
    uiFlags.isFetching = true;
    try {
      items.value = await operatorsApi.listOperators();
      hasLoaded.value = true;
    } finally {
      uiFlags.isFetching = false;
    }
  }

  async function create(input: OperatorCreateInput): Promise<User> {
    uiFlags.isCreating = true;
    try {
      const operator = await operatorsApi.createOperator(input);
      upsert(operator);
      return operator;
    } finally {
      uiFlags.isCreating = false;
    }
  }

  async function update(id: string, input: OperatorUpdateInput): Promise<User> {
    uiFlags.isUpdating = true;
    try {
      const operator = await operatorsApi.updateOperator(id, input);
      upsert(operator);
      return operator;
    } finally {
      uiFlags.isUpdating = false;
    }
  }

  async function remove(id: string): Promise<void> {
    uiFlags.deletingId = id;
    try {
      await operatorsApi.deleteOperator(id);
      items.value = items.value.filter((item) => item.id !== id);
    } finally {
      uiFlags.deletingId = null;
    }
  }

  async function resetTwoFactor(id: string): Promise<User> {
    const operator = await operatorsApi.resetTwoFactor(id);
    upsert(operator);
    return operator;
  }

  /**
   * Applies a full record from the API or a realtime event. Before the list was loaded an event
   * is ignored: fetchAll will bring the record anyway, and a one-item list would look complete.
   */
  function upsert(operator: User): void {
    const index = items.value.findIndex((item) => item.id === operator.id);
    if (index >= 0) items.value = items.value.with(index, operator);
    else if (hasLoaded.value) items.value = [...items.value, operator];
  }

  function reset(): void {
    items.value = [];
    hasLoaded.value = false;
  }

  return {
    items,
    hasLoaded,
    uiFlags,
    fetchAll,
    create,
    update,
    remove,
    resetTwoFactor,
    upsert,
    reset,
  };
});
