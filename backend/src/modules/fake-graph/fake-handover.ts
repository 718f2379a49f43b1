import { GraphErrorResponse, fakeGraphErrors } from './fake-graph-errors.js';
import { handoverItem, type FakeGraph, type FakePage } from './fake-graph.js';
import { readObject, type GraphParams } from './fake-send-api.js';

/**
 * The handover protocol of the fake (shared/docs/messenger-platform.md, "Handover protocol"):
 * one owner app per visitor thread, the calls Omni makes as secondary receiver
 * (pass_thread_control, request_thread_control, take_thread_control, thread_owner), and the
 * `messaging_handovers` events they cause for the other apps, which tests read from
 * `FakeGraph.handoverEvents()` and deliver, signed, like Facebook would.
 */

type ThreadControlCall = 'pass_thread_control' | 'take_thread_control' | 'request_thread_control';

/** POST /{page}/pass_thread_control | take_thread_control | request_thread_control → {success}. */
export function handleThreadControl(
  graph: FakeGraph,
  page: FakePage,
  call: ThreadControlCall,
  params: GraphParams,
): object {
  const psid = readRecipient(graph, page, params);
  const metadata = typeof params['metadata'] === 'string' ? params['metadata'] : undefined;
  const caller = page.appId;
  const owner = graph.threadOwner(page.pageId, psid);
  if (call === 'request_thread_control') {
    // Only another app's thread can be asked for; the primary decides (by passing, or not).
    if (owner === caller || page.primaryAppId === null) {
      throw new GraphErrorResponse(fakeGraphErrors.threadControlNotPermitted);
    }
    graph.recordHandover({
      deliverTo: page.primaryAppId,
      item: handoverItem(page.pageId, psid, {
        request_thread_control: { requested_owner_app_id: caller, metadata },
      }),
    });
    return { success: true };
  }
  if (call === 'take_thread_control') {
    // A secondary takes an idle thread only; the primary takes any.
    const mayTake = owner === null || owner === caller || caller === page.primaryAppId;
    if (!mayTake) throw new GraphErrorResponse(fakeGraphErrors.threadControlNotPermitted);
    graph.setThreadOwner(page.pageId, psid, caller);
    if (owner !== null && owner !== caller) {
      graph.recordHandover({
        deliverTo: owner,
        item: handoverItem(page.pageId, psid, {
          take_thread_control: { previous_owner_app_id: owner, new_owner_app_id: caller, metadata },
        }),
      });
    }
    return { success: true };
  }
  const target = params['target_app_id'];
  if (target === undefined || target === '') {
    throw new GraphErrorResponse(fakeGraphErrors.parameterRequired('target_app_id'));
  }
  const targetAppId = String(target);
  if (!/^\d+$/.test(targetAppId) || targetAppId === caller) {
    throw new GraphErrorResponse(fakeGraphErrors.invalidParameter);
  }
  if (owner !== null && owner !== caller) {
    throw new GraphErrorResponse(fakeGraphErrors.threadControlNotPermitted);
  }
  graph.passThread(page, { psid, from: caller, to: targetAppId, metadata });
  return { success: true };
}

/** GET /{page}/thread_owner?recipient=<PSID> → `{data: [{thread_owner: {app_id}}]}` (idle: []). */
export function readThreadOwner(graph: FakeGraph, page: FakePage, params: GraphParams): object {
  const psid = typeof params['recipient'] === 'string' ? params['recipient'] : '';
  if (!psid) throw new GraphErrorResponse(fakeGraphErrors.parameterRequired('recipient'));
  if (!graph.findUser(page.pageId, psid)) {
    throw new GraphErrorResponse(fakeGraphErrors.noMatchingUser);
  }
  const owner = graph.threadOwner(page.pageId, psid);
  return { data: owner === null ? [] : [{ thread_owner: { app_id: owner } }] };
}

function readRecipient(graph: FakeGraph, page: FakePage, params: GraphParams): string {
  const recipient = readObject(params['recipient']);
  const id = recipient?.['id'];
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw new GraphErrorResponse(fakeGraphErrors.parameterRequired('recipient'));
  }
  const psid = String(id);
  if (!graph.findUser(page.pageId, psid)) {
    throw new GraphErrorResponse(fakeGraphErrors.noMatchingUser);
  }
  return psid;
}
