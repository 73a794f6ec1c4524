import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { DeadlineError, withDeadline } from '../core/deadline.js';
import { BodyEncodingError, BodyTooLargeError, isGzip, readBody } from './body.js';
import { guardedLookup } from './lookup.js';
import { type FetchPolicy, FetchRefusedError, fetchPolicy } from './policy.js';

/**
 * The one way Crier reads content from the web (sources, redirects, full-text pages, images, withdrawal
 * checks): every address checked by the fetch policy when it resolves, redirects followed here (a bounded
 * number, each hop checked again, https → http refused, loops named), one wall-clock deadline for the whole
 * read, and a size cap that holds after decompression. Files go through `readFileContent` with the same cap.
 */

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const MAX_REDIRECTS = 5;
const USER_AGENT = 'Crier/0.1 (+https://github.com/crier-news/crier; news auto-publisher)';

export type FetchErrorCode =
  | 'refused'
  | 'timeout'
  | 'network'
  | 'too-large'
  | 'redirect'
  | 'invalid-url'
  | 'encoding';

/** A read that did not complete; `message` says why in one line (without the URL: callers name it). */
export class FetchError extends Error {
  constructor(
    readonly code: FetchErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FetchError';
  }
}

export interface FetchOptions {
  /** Address rules; default: the environment's allow-list (`CRIER_FETCH_ALLOW`) only. */
  policy?: FetchPolicy;
  /** Wall-clock deadline of the whole read, redirects and body included (default 15 s). */
  timeoutMs?: number;
  /** Largest body accepted after decompression (default 5 MB). */
  maxBytes?: number;
  accept?: string;
  /** HEAD asks for the status only. */
  method?: 'GET' | 'HEAD';
  maxRedirects?: number;
}

export interface Fetched {
  /** The final status (never a redirect). The body is read for 2xx answers only. */
  status: number;
  contentType?: string;
  /** The URL after redirects. */
  finalUrl: string;
  /** The body, decompressed (empty for HEAD and non-2xx answers). */
  bytes: Buffer;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function parseUrl(s: string, base?: URL): URL {
  try {
    return new URL(s.trim(), base);
  } catch (e) {
    throw new FetchError('invalid-url', `invalid URL "${s.slice(0, 200)}"`, { cause: e });
  }
}

function request(
  url: URL,
  opts: FetchOptions,
  policy: FetchPolicy,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let refused: FetchRefusedError | undefined;
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(
      url,
      {
        method: opts.method ?? 'GET',
        agent: false,
        signal,
        lookup: guardedLookup(policy, (e) => {
          refused = e;
        }),
        headers: {
          'User-Agent': USER_AGENT,
          Accept: opts.accept ?? '*/*',
          'Accept-Encoding': 'gzip, deflate, br',
        },
      },
      resolve,
    );
    req.on('error', (e) => reject(refused ?? e));
    req.end();
  });
}

/** Classifies a failed exchange by its error code (never by message text). */
function failure(e: unknown, signal: AbortSignal): unknown {
  if (e instanceof FetchError) return e;
  if (e instanceof FetchRefusedError) return new FetchError('refused', e.message, { cause: e });
  if (e instanceof BodyTooLargeError)
    return new FetchError('too-large', `response is ${e.message}`, { cause: e });
  if (e instanceof BodyEncodingError) return new FetchError('encoding', e.message, { cause: e });
  if (signal.aborted)
    return new FetchError('timeout', 'no complete answer within the time limit', { cause: e });
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT')
    return new FetchError('timeout', 'no complete answer within the time limit', { cause: e });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new FetchError('network', `host not found (${code})`, { cause: e });
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /CERT|SSL|TLS/.test(code ?? ''))
    return new FetchError('network', `TLS certificate problem (${code})`, { cause: e });
  return new FetchError('network', `request failed (${code ?? (e as Error)?.message ?? 'network error'})`, {
    cause: e,
  });
}

/**
 * Reads a URL under the fetch policy. Answers with any final status (the caller decides what a 404 means);
 * throws FetchError when the read is refused, times out, fails, or its body is too large.
 */
export async function fetchContent(location: string, opts: FetchOptions = {}): Promise<Fetched> {
  const policy = opts.policy ?? fetchPolicy();
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = opts.maxRedirects ?? MAX_REDIRECTS;
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new FetchError('timeout', 'no complete answer within the time limit')),
    opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  const signal = deadline.signal;
  try {
    let url = parseUrl(location);
    const visited = new Set<string>();
    for (let hop = 0; ; hop++) {
      try {
        policy.checkUrl(url);
      } catch (e) {
        throw failure(e, signal);
      }
      visited.add(url.href);
      let res: IncomingMessage;
      try {
        res = await request(url, opts, policy, signal);
      } catch (e) {
        throw failure(e, signal);
      }
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location) {
        res.destroy();
        const next = parseUrl(location, url);
        if (url.protocol === 'https:' && next.protocol === 'http:')
          throw new FetchError(
            'refused',
            `refused: redirect from https to http (${next.href.slice(0, 200)}); a secure link is never downgraded`,
          );
        if (visited.has(next.href))
          throw new FetchError('redirect', `redirect loop (back to ${next.href.slice(0, 200)})`);
        if (hop >= maxRedirects) throw new FetchError('redirect', `more than ${maxRedirects} redirects`);
        url = next;
        continue;
      }
      const contentType = res.headers['content-type'];
      const answer = { status, contentType, finalUrl: url.href };
      if (opts.method === 'HEAD' || status < 200 || status >= 300) {
        res.destroy();
        return { ...answer, bytes: Buffer.alloc(0) };
      }
      const encoding = res.headers['content-encoding'];
      const declared = Number(res.headers['content-length']);
      if (!encoding && Number.isFinite(declared) && declared > maxBytes) {
        res.destroy();
        throw new FetchError('too-large', `response is ${declared} bytes, over the ${maxBytes}-byte limit`);
      }
      try {
        const bytes = await readBody(res, { maxBytes, contentEncoding: encoding, signal });
        return { ...answer, bytes };
      } catch (e) {
        throw failure(e, signal);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

export interface FileReadOptions {
  maxBytes?: number;
  timeoutMs?: number;
}

/**
 * Reads a regular file within the same cap (after decompression: a `page.html.gz` is read as the page, and
 * stops at the cap however far it would grow) and deadline (of the decompression). Throws the fs error for a
 * missing or unreadable file, `FetchError` for the rest.
 *
 * The file is read with synchronous calls (open, fstat, one read, close): through libuv's thread pool each
 * call costs a hop that on a small machine takes more CPU than reading the bytes (about 0.2 ms of CPU per
 * file against 15 µs), and a regular file within the cap reads in a fraction of a millisecond. A pool
 * thread would not save a worker from a hung network file system either: the call would hold one of the four
 * threads that DNS look-ups share. The file is opened non-blocking, so a FIFO (or a file swapped for one) is
 * refused by its fstat instead of waiting for a writer.
 */
export async function readFileContent(path: string, opts: FileReadOptions = {}): Promise<Buffer> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const raw = readFileBytes(path, maxBytes);
  if (!isGzip(raw)) return raw;
  try {
    // Decompressed within the cap.
    return await withDeadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'file read', (signal) =>
      readBody(Readable.from([raw]), { maxBytes, signal }).catch((e) => {
        throw failure(e, signal);
      }),
    );
  } catch (e) {
    if (e instanceof DeadlineError)
      throw new FetchError('timeout', 'no complete answer within the time limit', { cause: e });
    throw e;
  }
}

function readFileBytes(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) throw new FetchError('invalid-url', `not a regular file (${path})`);
    if (s.size > maxBytes)
      throw new FetchError('too-large', `file is ${s.size} bytes, over the ${maxBytes}-byte limit`);
    // The bytes the file had when it was looked at (as readFile reads them): a file growing meanwhile
    // cannot push the read past the cap.
    const raw = Buffer.allocUnsafe(s.size);
    let got = 0;
    while (got < raw.length) {
      const n = readSync(fd, raw, got, raw.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return raw.subarray(0, got);
  } catch (e) {
    if (e instanceof FetchError) throw e;
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new FetchError('network', `file read failed (${why})`, { cause: e });
  } finally {
    closeSync(fd);
  }
}
