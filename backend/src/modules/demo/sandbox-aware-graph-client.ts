import type {
  GraphClient,
  PageCredentials,
  SendMessageRequest,
  SenderAction,
  ThreadControlRequest,
} from '../facebook/graph/graph-client.js';
import { isSandboxToken } from './demo-identity.js';

/**
 * In demo mode, routes each Graph call by its page token: the demo's sandbox pages to Omni's
 * own sandbox Graph API, every real page to Facebook. Services stay unaware of the sandbox.
 */
export class SandboxAwareGraphClient implements GraphClient {
  constructor(
    private readonly facebook: GraphClient,
    private readonly sandbox: GraphClient,
  ) {}

  private for(credentials: PageCredentials): GraphClient {
    return isSandboxToken(credentials.accessToken) ? this.sandbox : this.facebook;
  }

  getPageIdentity(credentials: PageCredentials) {
    return this.for(credentials).getPageIdentity(credentials);
  }

  getTokenApp(credentials: PageCredentials) {
    return this.for(credentials).getTokenApp(credentials);
  }

  debugToken(credentials: PageCredentials, appId: string) {
    return this.for(credentials).debugToken(credentials, appId);
  }

  subscribePage(pageId: string, credentials: PageCredentials, fields: readonly string[]) {
    return this.for(credentials).subscribePage(pageId, credentials, fields);
  }

  getSubscribedFields(pageId: string, credentials: PageCredentials) {
    return this.for(credentials).getSubscribedFields(pageId, credentials);
  }

  getUserProfile(psid: string, credentials: PageCredentials) {
    return this.for(credentials).getUserProfile(psid, credentials);
  }

  sendMessage(request: SendMessageRequest, credentials: PageCredentials) {
    return this.for(credentials).sendMessage(request, credentials);
  }

  sendSenderAction(psid: string, action: SenderAction, credentials: PageCredentials) {
    return this.for(credentials).sendSenderAction(psid, action, credentials);
  }

  passThreadControl(
    request: ThreadControlRequest & { targetAppId: string },
    credentials: PageCredentials,
  ) {
    return this.for(credentials).passThreadControl(request, credentials);
  }

  requestThreadControl(request: ThreadControlRequest, credentials: PageCredentials) {
    return this.for(credentials).requestThreadControl(request, credentials);
  }

  takeThreadControl(request: ThreadControlRequest, credentials: PageCredentials) {
    return this.for(credentials).takeThreadControl(request, credentials);
  }
}
