import { EntitySchema } from '@mikro-orm/core';
import type { Conversation } from '../conversations/conversation.entity.js';
import type { Label } from './label.entity.js';

/**
 * A label on a conversation: the pivot of `Conversation.labels`, an entity of its own only to
 * index it both ways (a page of conversations reads its labels by conversation; the label
 * filter and a label's deletion find its conversations by label). It has no tenant: whose
 * it is comes from either side, and its statements join the label's tenant.
 */
export class ConversationLabel {
  constructor(
    public conversation: Conversation,
    public label: Label,
  ) {}
}

export const ConversationLabelSchema = new EntitySchema<ConversationLabel>({
  class: ConversationLabel,
  tableName: 'conversation_label',
  properties: {
    conversation: { kind: 'm:1', entity: 'Conversation', primary: true, deleteRule: 'cascade' },
    label: { kind: 'm:1', entity: 'Label', primary: true, deleteRule: 'cascade', index: true },
  },
});
