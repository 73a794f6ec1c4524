import type { Response } from 'express';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Sends a server-rendered page. Preact escapes every text and attribute value it is given. */
export function sendPage(res: Response, status: number, page: VNode): void {
  if (res.headersSent) return; // answered already (a 503 when Redis was too slow)
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(`<!doctype html>\n${renderToString(page)}`);
}

/** A console path to go back to after logging in: only a local absolute path, never another site. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string') return '/';
  if (
    !next.startsWith('/') ||
    next.startsWith('//') ||
    next.includes('\\') ||
    [...next].some((c) => c.charCodeAt(0) < 0x20)
  )
    return '/';
  return next;
}
