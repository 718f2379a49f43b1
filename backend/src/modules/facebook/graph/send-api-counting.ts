import type { SendApi } from './graph-client.js';
import { GraphApiError, type GraphErrorKind } from './graph-errors.js';

/** One Send API call's result: `sent`, or the kind of failure with Facebook's code. */
export type RecordSendApiResult = (result: 'sent' | GraphErrorKind, code: number | null) => void;

/**
 * The Send API of `graph`, reporting every call's result (replies, not sender actions) for
 * /metrics and otherwise unchanged.
 */
export function countingSendApiResults(graph: SendApi, record: RecordSendApiResult): SendApi {
  return {
    async sendMessage(request, credentials) {
      try {
        const sent = await graph.sendMessage(request, credentials);
        record('sent', null);
        return sent;
      } catch (error) {
        if (error instanceof GraphApiError) record(error.kind, error.code);
        throw error;
      }
    },
  };
}
