/** A quick reply offered with an automatic message, as the Send API takes it (text only). */
export type QuickReply = { content_type: 'text'; title: string; payload: string };
