import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import * as invitationsApi from '@/api/invitations';
import type { Invitation, InvitationCreateInput } from '@/api/types';

/** The workspace's pending invitations (the operators screen lists them). */
export const useInvitationsStore = defineStore('invitations', () => {
  const items = ref<Invitation[]>([]);
  const uiFlags = reactive({
    isFetching: false,
    isCreating: false,
    /** The invitation whose resend or revoke is under way. */
    busyId: null as string | null,
  });

  async function fetchAll(): Promise<void> {
    uiFlags.isFetching = true;
    try {
      items.value = await invitationsApi.listInvitations();
    } finally {
      uiFlags.isFetching = false;
    }
  }

  async function create(input: InvitationCreateInput): Promise<Invitation> {
    uiFlags.isCreating = true;
    try {
      const invitation = await invitationsApi.createInvitation(input);
      // An earlier invitation of the same address stopped working on the server.
      items.value = [invitation, ...items.value.filter((item) => item.email !== invitation.email)];
      return invitation;
    } finally {
      uiFlags.isCreating = false;
    }
  }

  async function resend(id: string): Promise<Invitation> {
    uiFlags.busyId = id;
    try {
      const invitation = await invitationsApi.resendInvitation(id);
      items.value = items.value.map((item) => (item.id === id ? invitation : item));
      return invitation;
    } finally {
      uiFlags.busyId = null;
    }
  }

  async function revoke(id: string): Promise<void> {
    uiFlags.busyId = id;
    try {
      await invitationsApi.revokeInvitation(id);
      items.value = items.value.filter((item) => item.id !== id);
    } finally {
      uiFlags.busyId = null;
    }
  }

  return { items, uiFlags, fetchAll, create, resend, revoke };
});
