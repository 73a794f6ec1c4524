import type { Request, Response } from 'express';
import { type ConsoleLocals, sessionOf } from '../index.js';
import { safeNext } from '../render.js';
import type { Flash } from '../session.js';

export interface RouteHelpers {
  flash(res: Response, flash: Flash): Promise<void>;
}

/** What every page needs from the session. */
export const chrome = (res: Response) => {
  const { session, flash }: ConsoleLocals = sessionOf(res);
  return { user: session.user, csrf: session.csrf, flash };
};

/** Back to the page the action was made from (same site only), else `fallback`. */
export function back(req: Request, fallback: string): string {
  const referer = req.get('referer');
  if (!referer) return fallback;
  try {
    const u = new URL(referer);
    if (u.host !== req.get('host')) return fallback;
    const path = safeNext(`${u.pathname}${u.search}`);
    return path.startsWith('/login') ? fallback : path;
  } catch {
    return fallback;
  }
}
