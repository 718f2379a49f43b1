import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { validate as isUuid } from 'uuid';
import { findByIdOrFail } from '../../db/find.js';
import { flushWith, sqlTransaction, type Sql } from '../../db/sql.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import {
  appendToOutbox,
  conversationsChanged,
  type DispatchCommitted,
} from '../../outbox/outbox.js';
import { diffFields, recordAudit } from '../audit/audit-recorder.js';
import { labelFields } from '../audit/audited-fields.js';
import type { Actor } from '../auth/actor.js';
import { ConversationStore } from '../conversations/conversation-store.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Label } from './label.entity.js';
import { LabelsRepository } from './labels.repository.js';
import {
  toLabelDto,
  type CreateLabelInput,
  type LabelDto,
  type SetConversationLabelsInput,
  type UpdateLabelInput,
} from './labels.schemas.js';

/** Who may create, change and delete the tenant's labels: admins and supervisors. */
export function mayManageLabels(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'supervisor';
}

/** 409 LABEL_NAME_TAKEN: the tenant has a label of that name, ignoring case. */
export class LabelNameTakenError extends ConflictError {
  constructor(name: string) {
    const message = `A label named “${name}” already exists.`;
    super('LABEL_NAME_TAKEN', message, { fields: { name: message } });
  }
}

/** 400 UNKNOWN_LABEL: a label to put on a conversation is not one of the tenant's (any more). */
export class UnknownLabelError extends ValidationError {
  constructor(labelIds: string[]) {
    super(
      { labelIds: `No such label: ${labelIds.join(', ')}.` },
      'Some of these labels do not exist (any more).',
      'UNKNOWN_LABEL',
    );
  }
}

/**
 * The tenant's labels: everyone reads them and puts them on the conversations they see;
 * admins define them. Whatever changes a conversation's labels (setting them, renaming,
 * recolouring or deleting a label) sends the panels the conversations as they are now, through
 * the outbox; a changed label's conversations are pushed up to
 * MAX_CONVERSATIONS_PUSHED_PER_LABEL_CHANGE of them (the rest show it when loaded again).
 */
export class LabelsService {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatchCommitted: DispatchCommitted,
  ) {}

  async list(): Promise<LabelDto[]> {
    const labels = await this.em.find(Label, {}, { orderBy: { name: 'asc', id: 'asc' } });
    return labels.map(toLabelDto);
  }

  async create(actor: Actor, input: CreateLabelInput): Promise<LabelDto> {
    assertMayManage(actor);
    const label = new Label(this.em.getReference(Tenant, actor.tenantId), input.name, input.color);
    await this.saveUniquely(label, () =>
      flushWith(this.em.persist(label), (sql) =>
        recordAudit(sql, actor, {
          action: 'label.created',
          target: { type: 'label', id: label.id, name: label.name },
          changes: diffFields({}, labelFields(label)),
        }),
      ),
    );
    return toLabelDto(label);
  }

  async update(actor: Actor, id: string, input: UpdateLabelInput): Promise<LabelDto> {
    assertMayManage(actor);
    const label = await findByIdOrFail(this.em, Label, id, 'The label');
    const isShownDifferently =
      (input.name !== undefined && input.name !== label.name) ||
      (input.color !== undefined && input.color !== label.color);
    if (!isShownDifferently) return toLabelDto(label);
    const fieldsBefore = labelFields(label);
    label.name = input.name ?? label.name;
    label.color = input.color ?? label.color;
    const tenantId = label.tenant.id;
    const outboxEntryIds = await this.saveUniquely(label, () =>
      flushWith(this.em, async (sql) => {
        await recordAudit(sql, actor, {
          action: 'label.updated',
          target: { type: 'label', id: label.id, name: label.name },
          changes: diffFields(fieldsBefore, labelFields(label)),
        });
        const carrying = await labelsIn(sql).conversationsCarrying(tenantId, label.id);
        return pushConversationsOf(sql, tenantId, carrying);
      }),
    );
    await this.dispatchCommitted(outboxEntryIds);
    return toLabelDto(label);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    assertMayManage(actor);
    if (!isUuid(id)) throw new NotFoundError('The label');
    const outboxEntryIds = await sqlTransaction(this.em, async (sql) => {
      const deleted = await labelsIn(sql).delete(actor.tenantId, id);
      if (deleted === null) throw new NotFoundError('The label');
      await recordAudit(sql, actor, {
        action: 'label.deleted',
        target: { type: 'label', id, name: deleted.label.name },
        changes: diffFields(deleted.label, {}),
      });
      return pushConversationsOf(sql, actor.tenantId, deleted.conversationIds);
    });
    await this.dispatchCommitted(outboxEntryIds);
  }

  /**
   * Makes `labelIds` exactly the labels of a conversation the actor may see (404 otherwise),
   * whoever they are: labelling is part of handling a chat.
   */
  async setOnConversation(
    actor: Actor,
    conversationId: string,
    input: SetConversationLabelsInput,
  ): Promise<void> {
    const labelIds = [...new Set(input.labelIds)];
    const outboxEntryIds = await sqlTransaction(this.em, async (sql) => {
      await new ConversationStore(sql).lockVisible(actor, conversationId);
      const labels = labelsIn(sql);
      const existing = await labels.holdExisting(actor.tenantId, labelIds);
      const unknown = labelIds.filter((labelId) => !existing.includes(labelId));
      if (unknown.length > 0) throw new UnknownLabelError(unknown);
      await labels.replaceOnConversation(actor.tenantId, conversationId, labelIds);
      return pushConversationsOf(sql, actor.tenantId, [conversationId]);
    });
    await this.dispatchCommitted(outboxEntryIds);
  }

  /** Saves through `save`; the name's unique index turns a clash into LABEL_NAME_TAKEN. */
  private async saveUniquely<T>(label: Label, save: () => Promise<T>): Promise<T> {
    try {
      return await save();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new LabelNameTakenError(label.name);
      }
      throw error;
    }
  }
}

function assertMayManage(actor: Actor): void {
  if (!mayManageLabels(actor)) throw new ForbiddenError('Only admins can change labels.');
}

function labelsIn(sql: Sql): LabelsRepository {
  return new LabelsRepository(sql);
}

/** The outbox entry that sends the panels these conversations, if any. */
function pushConversationsOf(
  sql: Sql,
  tenantId: string,
  conversationIds: string[],
): Promise<string[]> {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return appendToOutbox(sql, [conversationsChanged(tenantId, { conversationIds })]);
}
