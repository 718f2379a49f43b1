import type {
  GraphClient,
  PageCredentials,
  SendMessageRequest,
  SenderAction,
} from './graph-client.js';
import { GraphApiError, type GraphErrorKind } from './graph-errors.js';

/** One Send API call's result: `sent`, or the kind of failure with Facebook's code. */
export type RecordSendApiResult = (result: 'sent' | GraphErrorKind, code: number | null) => void;

/**
 * A GraphClient that reports the result of every Send API call (replies, not sender
 * actions) for /metrics, and otherwise hands each call to the client it wraps unchanged.
 */
export class SendApiCountingGraphClient implements GraphClient {
  constructor(
    private readonly graph: GraphClient,
    private readonly record: RecordSendApiResult,
  ) {}

  async sendMessage(request: SendMessageRequest, credentials: PageCredentials) {
    try {
      const sent = await this.graph.sendMessage(request, credentials);
      this.record('sent', null);
      return sent;
    } catch (error) {
      if (error instanceof GraphApiError) this.record(error.kind, error.code);
      throw error;
    }
  }

  getPageIdentity(credentials: PageCredentials) {
    return this.graph.getPageIdentity(credentials);
  }

  subscribePage(pageId: string, credentials: PageCredentials) {
    return this.graph.subscribePage(pageId, credentials);
  }

  getSubscribedFields(pageId: string, credentials: PageCredentials) {
    return this.graph.getSubscribedFields(pageId, credentials);
  }

  getUserProfile(psid: string, credentials: PageCredentials) {
    return this.graph.getUserProfile(psid, credentials);
  }

  sendSenderAction(psid: string, action: SenderAction, credentials: PageCredentials) {
    return this.graph.sendSenderAction(psid, action, credentials);
  }

  getTokenApp(credentials: PageCredentials) {
    return this.graph.getTokenApp(credentials);
  }

  debugToken(credentials: PageCredentials, appId: string) {
    return this.graph.debugToken(credentials, appId);
  }
}
