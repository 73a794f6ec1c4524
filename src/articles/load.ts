import {
  DEFAULT_MAX_BYTES,
  DEFAULT_TIMEOUT_MS,
  FetchError,
  fetchContent,
  readFileContent,
} from '../fetch/fetch.js';
import type { FetchPolicy } from '../fetch/policy.js';
import { SourceError, type SourceErrorCode } from './errors.js';
import { isHttpUrl, locationPath } from './location.js';

export { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS };

/** The bytes at a location, decompressed, before any character decoding. */
export interface Loaded {
  bytes: Uint8Array;
  /** HTTP Content-Type (http(s) locations only). */
  contentType?: string;
  /** The URL after redirects (http(s)), or the file: URL path for files. */
  finalUrl?: string;
}

export interface LoadOptions {
  baseDir?: string;
  /** Wall-clock deadline of the read (default 15 s). */
  timeoutMs?: number;
  /** Largest body accepted, after decompression (default 5 MB). */
  maxBytes?: number;
  /** Accept header for http(s). */
  accept?: string;
  /** Address rules for http(s) (default: the environment's `CRIER_FETCH_ALLOW` only). */
  policy?: FetchPolicy;
}

const STATUS_TEXT: Record<number, string> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found (withdrawn or wrong address)',
  410: 'gone (withdrawn)',
  429: 'too many requests',
};

const CODES: Record<FetchError['code'], SourceErrorCode> = {
  refused: 'refused',
  timeout: 'timeout',
  network: 'network',
  'too-large': 'too-large',
  redirect: 'http',
  'invalid-url': 'not-found',
  encoding: 'unparseable',
};

function sourceError(location: string, e: unknown): unknown {
  return e instanceof FetchError ? new SourceError(location, CODES[e.code], e.message, { cause: e }) : e;
}

async function loadFile(location: string, opts: LoadOptions): Promise<Loaded> {
  const path = locationPath(location, opts.baseDir);
  try {
    return { bytes: await readFileContent(path, { maxBytes: opts.maxBytes, timeoutMs: opts.timeoutMs }) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new SourceError(location, 'not-found', `no such file (${path})`, { cause: e });
    if (code === 'EACCES' || code === 'EPERM')
      throw new SourceError(location, 'not-found', `file not readable (${path})`, { cause: e });
    if (code === 'EISDIR') throw new SourceError(location, 'not-found', `not a file (${path})`, { cause: e });
    throw sourceError(location, e);
  }
}

async function loadHttp(url: string, opts: LoadOptions): Promise<Loaded> {
  let got: Awaited<ReturnType<typeof fetchContent>>;
  try {
    got = await fetchContent(url, {
      policy: opts.policy,
      timeoutMs: opts.timeoutMs,
      maxBytes: opts.maxBytes,
      accept: opts.accept,
    });
  } catch (e) {
    throw sourceError(url, e);
  }
  if (got.status < 200 || got.status >= 300) {
    const what =
      got.status < 400
        ? 'redirect without a usable Location'
        : (STATUS_TEXT[got.status] ?? (got.status >= 500 ? 'server error' : 'request refused'));
    throw new SourceError(url, 'http', `HTTP ${got.status} ${what}`, { status: got.status });
  }
  return { bytes: got.bytes, contentType: got.contentType, finalUrl: got.finalUrl };
}

/**
 * The bytes at a location: an http(s) URL (through the fetch policy, redirects followed and checked) or a
 * file path; decompressed, within the size cap and the deadline.
 */
export function loadLocation(location: string, opts: LoadOptions = {}): Promise<Loaded> {
  return isHttpUrl(location) ? loadHttp(location.trim(), opts) : loadFile(location, opts);
}
