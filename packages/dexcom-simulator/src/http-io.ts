import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route answers; the request handler writes it. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Sent as `application/json`. */
  json?: unknown;
  /** Sent as-is, with `contentType` (default text/plain). */
  text?: string;
  contentType?: string;
}

const BODY_LIMIT = 64 * 1024;

export class BodyTooLargeError extends Error {}

/** The request body as text, at most 64 KiB. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > BODY_LIMIT) throw new BodyTooLargeError('request body larger than 64 KiB');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function send(response: ServerResponse, reply: Reply): void {
  if (response.destroyed || response.writableEnded) return;
  const headers: Record<string, string> = { ...reply.headers };
  let body = '';
  if (reply.json !== undefined) {
    body = JSON.stringify(reply.json);
    headers['Content-Type'] = 'application/json; charset=utf-8';
  } else if (reply.text !== undefined) {
    body = reply.text;
    headers['Content-Type'] = reply.contentType ?? 'text/plain; charset=utf-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(body));
  response.writeHead(reply.status, headers);
  response.end(body);
}

export function jsonReply(status: number, json: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, json, headers } : { status, json };
}

/** An OAuth-style error body: `error` (a code such as `invalid_grant`) and `error_description`. */
export function errorReply(status: number, error: string, description: string, headers?: Record<string, string>): Reply {
  return jsonReply(status, { error, error_description: description }, headers);
}

/** A plain HTML page: what a browser sees on the login path when it cannot be redirected. */
export function pageReply(status: number, title: string, message: string): Reply {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    text: `<!doctype html><html><head><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1><p>${escape(message)}</p><p>Dexcom simulator — not Dexcom</p></body></html>`,
  };
}
