import { readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import axios, { type AxiosResponse, isAxiosError } from 'axios';
import { SourceError } from './errors.js';
import { isHttpUrl, locationPath } from './location.js';

/** The raw bytes of a location, before any decoding. */
export interface Loaded {
  bytes: Uint8Array;
  /** HTTP Content-Type (http(s) locations only). */
  contentType?: string;
  /** The URL after redirects (http(s)), or the file: URL path for files. */
  finalUrl?: string;
}

export interface LoadOptions {
  baseDir?: string;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  /** Largest body accepted (default 5 MB). */
  maxBytes?: number;
  /** Accept header for http(s). */
  accept?: string;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const USER_AGENT = 'Crier/0.1 (+https://github.com/crier-news/crier; news auto-publisher)';

async function loadFile(location: string, opts: LoadOptions): Promise<Loaded> {
  const path = locationPath(location, opts.baseDir);
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new SourceError(location, 'not-found', `not a file (${path})`);
    if (s.size > max)
      throw new SourceError(location, 'too-large', `file is ${s.size} bytes, over the ${max}-byte limit`);
    return { bytes: await readFile(path) };
  } catch (e) {
    if (e instanceof SourceError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new SourceError(location, 'not-found', `no such file (${path})`, { cause: e });
    if (code === 'EACCES' || code === 'EPERM')
      throw new SourceError(location, 'not-found', `file not readable (${path})`, { cause: e });
    throw e;
  }
}

/** Reads a response stream up to `max` bytes; past that the request is aborted. */
async function readCapped(stream: Readable, max: number, location: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > max) {
      stream.destroy();
      throw new SourceError(location, 'too-large', `response is over the ${max}-byte limit`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

const STATUS_TEXT: Record<number, string> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found (withdrawn or wrong address)',
  410: 'gone (withdrawn)',
  429: 'too many requests',
};

function finalUrlOf(res: AxiosResponse): string | undefined {
  // follow-redirects records the last URL on the Node response it hands to axios.
  const req = res.request as { res?: { responseUrl?: string } } | undefined;
  return req?.res?.responseUrl;
}

async function loadHttp(url: string, opts: LoadOptions): Promise<Loaded> {
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // axios' own timeout covers the wait for a response; this deadline also covers reading the body.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const fail = (e: unknown) => (e instanceof SourceError ? e : networkError(url, e, deadline.signal.aborted));
  try {
    let res: AxiosResponse<Readable>;
    try {
      res = await axios.get<Readable>(url, {
        responseType: 'stream',
        timeout: timeoutMs,
        signal: deadline.signal,
        maxRedirects: MAX_REDIRECTS,
        // Every status is looked at here: 404/410 must become a SourceError that keeps the status.
        validateStatus: () => true,
        headers: { 'User-Agent': USER_AGENT, Accept: opts.accept ?? '*/*' },
      });
    } catch (e) {
      throw fail(e);
    }
    if (res.status >= 300) {
      res.data.destroy();
      const what =
        res.status < 400
          ? 'redirect without a usable Location'
          : (STATUS_TEXT[res.status] ?? (res.status >= 500 ? 'server error' : 'request refused'));
      throw new SourceError(url, 'http', `HTTP ${res.status} ${what}`, { status: res.status });
    }
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      res.data.destroy();
      throw new SourceError(url, 'too-large', `response is ${declared} bytes, over the ${max}-byte limit`);
    }
    let bytes: Buffer;
    try {
      bytes = await readCapped(res.data, max, url);
    } catch (e) {
      throw fail(e);
    }
    const contentType = res.headers['content-type'];
    return {
      bytes,
      contentType: typeof contentType === 'string' ? contentType : undefined,
      finalUrl: finalUrlOf(res) ?? url,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Classifies a failed request by its error code (never by message text). */
function networkError(url: string, e: unknown, deadlinePassed: boolean): SourceError {
  const code = isAxiosError(e) ? e.code : (e as NodeJS.ErrnoException | undefined)?.code;
  if (deadlinePassed || code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT')
    return new SourceError(url, 'timeout', `no complete answer within the time limit`, { cause: e });
  if (code === 'ERR_FR_TOO_MANY_REDIRECTS')
    return new SourceError(url, 'http', `more than ${MAX_REDIRECTS} redirects`, { cause: e });
  if (code === 'ERR_INVALID_URL') return new SourceError(url, 'not-found', 'invalid URL', { cause: e });
  return new SourceError(url, 'network', `request failed (${code ?? 'network error'})`, { cause: e });
}

/** The bytes at a location: an http(s) URL (redirects followed, size capped) or a file path. */
export function loadLocation(location: string, opts: LoadOptions = {}): Promise<Loaded> {
  return isHttpUrl(location) ? loadHttp(location.trim(), opts) : loadFile(location, opts);
}
