import type { Conversation, Department, FacebookPage, Message, Tenant, User } from '@/api/types';

let sequence = 0;
const nextId = () => String(++sequence);

export function makeUser(overrides: Partial<User> = {}): User {
  const id = nextId();
  return {
    id,
    email: `user${id}@example.com`,
    name: `User ${id}`,
    role: 'operator',
    status: 'offline',
    maxChats: null,
    departmentIds: [],
    twoFactorEnabled: false,
    createdAt: '2025-01-15T10:00:00.000Z',
    ...overrides,
  };
}

export function makeTenant(overrides: Partial<Tenant> = {}): Tenant {
  return {
    id: nextId(),
    name: 'Acme',
    key: 'tk_acme',
    callbackUrl: 'https://omni.example.com/api/webhooks/facebook/tk_acme',
    dataDeletionUrl: 'https://omni.example.com/data-deletion/tk_acme',
    dataDeletionCallbackUrl: 'https://omni.example.com/api/webhooks/facebook/tk_acme/data-deletion',
    privacyContact: null,
    defaultMaxChats: 5,
    firstResponseTimeoutSeconds: null,
    autoCloseAfterMinutes: null,
    unansweredReminderSeconds: 120,
    language: 'en',
    queueNoticeEnabled: false,
    csat: { enabled: false, question: null },
    offlineNoticeEnabled: false,
    timezone: 'UTC',
    require2faForAdmins: false,
    demo: false,
    ...overrides,
  };
}

export function makeDepartment(overrides: Partial<Department> = {}): Department {
  const id = nextId();
  return {
    id,
    name: `Department ${id}`,
    operatorCount: 0,
    open: true,
    createdAt: '2025-01-15T10:00:00.000Z',
    ...overrides,
  };
}

export function makeFacebookPage(
  overrides: Partial<Omit<FacebookPage, 'status'>> & {
    status?: Partial<FacebookPage['status']>;
  } = {},
): FacebookPage {
  const id = nextId();
  const { status, ...rest } = overrides;
  return {
    id,
    name: `Page ${id}`,
    pageId: `10000000000${id}`,
    pageName: `Acme ${id}`,
    departmentId: null,
    active: true,
    humanAgentEnabled: false,
    departmentMenu: { enabled: false, prompt: null, options: [] },
    handover: { enabled: false },
    sandbox: false,
    callbackUrl: 'https://omni.example.com/api/webhooks/facebook/tk_acme',
    verifyToken: 'confirm-code-12345',
    accessTokenHint: 'ab12',
    appSecretHint: 'cd34',
    appId: '100000000000001',
    status: {
      tokenValid: true,
      missingPermissions: [],
      healthCheckedAt: null,
      webhookVerifiedAt: null,
      subscribed: false,
      lastEventAt: null,
      lastError: null,
      ...status,
    },
    createdAt: '2025-01-15T10:00:00.000Z',
    ...rest,
  };
}

export function makeMessage(overrides: Partial<Message> = {}): Message {
  const id = nextId();
  return {
    id,
    conversationId: 'c1',
    direction: 'in',
    kind: 'text',
    text: `Message ${id}`,
    attachments: [],
    source: 'visitor',
    operatorId: null,
    status: null,
    error: null,
    editedAt: null,
    details: {},
    mentions: [],
    createdAt: '2025-01-15T10:00:00.000Z',
    ...overrides,
  };
}

export function makeConversation(overrides: Partial<Conversation> = {}): Conversation {
  const id = nextId();
  return {
    id,
    status: 'queued',
    departmentId: null,
    operatorId: null,
    channel: { type: 'facebook', pageId: '1000', pageName: 'Acme' },
    contact: {
      id: `contact-${id}`,
      psid: `psid-${id}`,
      name: `Visitor ${id}`,
      firstName: 'Visitor',
      lastName: id,
      avatarUrl: null,
      erased: false,
      firstContactAt: '2025-01-15T09:00:00.000Z',
    },
    lastMessage: null,
    lastInboundAt: '2025-01-15T10:00:00.000Z',
    replyWindow: {
      closesAt: '2025-01-16T10:00:00.000Z',
      humanAgentClosesAt: null,
      canReply: true,
      canReplyUntil: '2025-01-16T10:00:00.000Z',
      closesSoon: false,
    },
    waitingSince: null,
    queuedAt: '2025-01-15T10:00:00.000Z',
    assignedAt: null,
    closedAt: null,
    csat: null,
    unreadCount: 0,
    threadControl: null,
    labels: [],
    ...overrides,
  };
}
