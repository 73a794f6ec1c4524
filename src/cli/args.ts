/**
 * Every command-line argument is checked here, before any command runs: a bad one is one line naming the
 * option, the value and what is expected (exit 2), and nothing is read, queued or changed. This module
 * loads nothing heavy (it runs for `--help` too).
 */
import { UsageError } from '../core/errors.js';
import { parseListenAddress } from '../http/address.js';
import { isPlatform, PLATFORMS, type PlatformName } from '../platforms/registry.js';
import { checkWallTime, type WallTime } from './wall-time.js';

/** Shown in messages: at most 60 characters of what was typed. */
export function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The one-line error for a bad argument: `--limit "abc": expected …`. */
export function badArgument(name: string, value: string, problem: string): UsageError {
  return new UsageError(`${name} ${JSON.stringify(clip(value))}: ${problem}`);
}

/** Longest `--url` accepted: what browsers and the platforms' link cards handle. */
export const MAX_URL_LENGTH = 2048;

/** A whole number within bounds, written as digits only ("4", not "4.0", "4abc" or "1e3"). */
export function wholeNumber(name: string, what: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const v = value.trim();
    const n = /^\d{1,15}$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw badArgument(name, value, `expected ${what}, a whole number from ${min} to ${max}`);
    return n;
  };
}

export const parseConcurrency = wholeNumber('--concurrency', 'jobs at once per queue', 1, 256);
export const parseLimit = wholeNumber('--limit', 'how many to list', 1, 1000);
/** `--wait [seconds]`: at most a day. */
export const parseWaitSeconds = wholeNumber('--wait', 'seconds to wait', 1, 86_400);

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

export function parsePlatforms(value: string): PlatformName[] {
  const names = list(value);
  const bad = names.filter((p) => !isPlatform(p));
  if (bad.length || names.length === 0)
    throw badArgument(
      '--platforms',
      value,
      `unknown platform "${bad.join(',')}": expected a comma list of ${PLATFORMS.join(', ')}`,
    );
  return [...new Set(names)] as PlatformName[];
}

/** `--full-text`: how feed items are completed from their pages. */
export function parseFullText(value: string): 'auto' | 'always' | 'never' {
  const v = value.trim().toLowerCase();
  if (v === 'auto' || v === 'always' || v === 'never') return v;
  throw badArgument('--full-text', value, 'expected auto, always or never');
}

/** Worker roles: the ingest and compose queues, and one publish queue per platform. */
export const ROLES = ['ingest', 'compose', ...PLATFORMS] as const;
export type Role = (typeof ROLES)[number];

export function parseQueues(value: string): Role[] {
  const names = list(value);
  const bad = names.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length || names.length === 0)
    throw badArgument(
      '--queues',
      value,
      `unknown queue "${bad.join(',')}": expected a comma list of ${ROLES.join(', ')}`,
    );
  return [...new Set(names)] as Role[];
}

export function parseHttpAddress(value: string): string {
  let host: string | undefined;
  try {
    host = parseListenAddress(value).host;
  } catch (e) {
    throw badArgument('--http', value, (e as Error).message.replace(/^HTTP address "[^"]*": /, ''));
  }
  if (host !== undefined && !host.includes(':') && !/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i.test(host))
    throw badArgument('--http', value, `"${clip(host)}" is not a host name or IP address to listen on`);
  return value.trim();
}

/**
 * `--at`: a calendar date and time that exist, as ISO-8601 (`2026-12-01T08:00`, seconds optional, `T` or a
 * space), with an offset (`Z`, `+01:00`) or without one: then it is read in the configured `site.timezone`
 * (resolved by the command, which has the configuration).
 */
export function parseAt(value: string): WallTime {
  const problem = checkWallTime(value);
  if (typeof problem === 'string') throw badArgument('--at', value, problem);
  return problem;
}

/** An article link given by hand: absolute http(s), no spaces or markup, of a sane length. */
export function parseUrl(value: string): string {
  return checkUrl('--url', value);
}

/** The checks of `--url`, for any argument that is an article link. */
export function checkUrl(name: string, value: string): string {
  if (value.length > MAX_URL_LENGTH)
    throw badArgument(
      name,
      value,
      `a URL of ${value.length} characters: expected an http(s) URL of at most ${MAX_URL_LENGTH}`,
    );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  const bad = /[\s<>"{}|\\^`\u0000-\u001f\u007f]/.exec(value);
  if (bad)
    throw badArgument(
      name,
      value,
      `holds ${JSON.stringify(bad[0])}: expected an absolute http(s) URL with no spaces or markup (percent-encode them)`,
    );
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw badArgument(name, value, 'expected an absolute http(s) URL such as https://example.org/news/story');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw badArgument(name, value, `a ${u.protocol.slice(0, -1)} URL: expected http or https`);
  if (!u.hostname.includes('.') && !u.hostname.startsWith('[') && u.hostname !== 'localhost')
    throw badArgument(name, value, `"${u.hostname}" is not a full host name: expected https://host.tld/path`);
  if (u.username || u.password)
    throw badArgument(name, value, 'carries a user name or password: expected the public link');
  return value;
}

/**
 * A source argument: a file path, or an http(s) URL (read through the fetch policy). Another scheme, or a URL
 * with spaces or markup, is refused here rather than read as a file name that does not exist.
 */
export function parseSource(value: string): string {
  if (value.trim() === '') throw badArgument('source', value, 'expected a file path or an http(s) URL');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return value;
  if (scheme !== 'http' && scheme !== 'https')
    throw badArgument('source', value, `a ${scheme} URL: expected a file path or an http(s) URL`);
  if (value.length > MAX_URL_LENGTH)
    throw badArgument(
      'source',
      value,
      `a URL of ${value.length} characters: expected at most ${MAX_URL_LENGTH}`,
    );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  const bad = /[\s<>"{}|\\^`\u0000-\u001f\u007f]/.exec(value);
  if (bad)
    throw badArgument(
      'source',
      value,
      `holds ${JSON.stringify(bad[0])}: expected a URL with no spaces or markup`,
    );
  try {
    new URL(value);
  } catch {
    throw badArgument('source', value, 'expected a file path or an absolute http(s) URL');
  }
  return value;
}

/** `post-<articleId>-<account>` as `crier schedule list` prints it. */
export function parsePostId(value: string): string {
  if (!/^post-a[0-9a-f]{16}-[a-z0-9][a-z0-9_-]{0,63}$/i.test(value))
    throw badArgument(
      'post id',
      value,
      'expected post-<articleId>-<account> as "crier schedule list" prints it',
    );
  return value;
}

/** `status --article`: an article id (a + 16 hex digits) or the article's http(s) link. */
export function parseArticleRef(value: string): string {
  if (/^a[0-9a-f]{16}$/i.test(value)) return value;
  if (/^https?:\/\//i.test(value)) return checkUrl('--article', value);
  throw badArgument(
    '--article',
    value,
    'expected an article id (a + 16 hex digits, as status prints it) or its http(s) link',
  );
}

/** `pause`/`resume`: an account id (checked against the configuration later) or a platform name. */
export function parseTarget(value: string): string {
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(value))
    throw badArgument('target', value, `expected an account id or a platform name (${PLATFORMS.join(', ')})`);
  return value;
}
