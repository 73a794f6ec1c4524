import { Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/**
 * Reading a body under a cap that holds after decompression. Bodies are decompressed as a stream (HTTP
 * `Content-Encoding` gzip, deflate, br; and a gzip file or gzip body without that header, such as a saved
 * `page.html.gz`), and reading stops as soon as the decompressed size passes the cap: a 60 KB bomb that
 * would grow to gigabytes costs the cap and no more.
 */

export class BodyTooLargeError extends Error {
  constructor(
    readonly limit: number,
    readonly compressed: boolean,
  ) {
    super(`over the ${limit}-byte limit${compressed ? ' after decompression' : ''}`);
    this.name = 'BodyTooLargeError';
  }
}

export class BodyEncodingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BodyEncodingError';
  }
}

type Chunks = AsyncIterable<Buffer>;
interface State {
  decompressed: boolean;
}

/** Runs `src` through a zlib transform, chunk by chunk; stopping early destroys both. */
async function* through(src: Chunks, z: Transform, what: string, st: State): AsyncGenerator<Buffer> {
  st.decompressed = true;
  const input = Readable.from(src, { objectMode: false });
  input.on('error', (e) => z.destroy(e));
  input.pipe(z);
  try {
    for await (const chunk of z) yield chunk as Buffer;
  } catch (e) {
    if (e instanceof BodyTooLargeError || !isZlibError(e)) throw e;
    throw new BodyEncodingError(`${what} data that does not decompress (${(e as Error).message})`, {
      cause: e,
    });
  } finally {
    input.destroy();
    z.destroy();
  }
}

function isZlibError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** The first `n` bytes of a stream (fewer at its end) and the stream again from its start. */
async function peek(src: Chunks, n: number): Promise<{ head: Buffer; all: Chunks }> {
  const it = src[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    seen.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(seen);
  async function* all(): AsyncGenerator<Buffer> {
    try {
      if (head.length) yield head;
      if (done) return;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await it.return?.();
    }
  }
  return { head: head.subarray(0, n), all: all() };
}

/** The gzip magic number (RFC 1952) at the start of `b`. */
export const isGzip = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
/** A zlib (RFC 1950) header: deflate method, a window size, and a check that makes it a multiple of 31. */
const isZlib = (b: Buffer) => b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0;

/** Decodes one HTTP content coding; unknown codings are an error (the bytes would be garbage). */
async function* decodeCoding(src: Chunks, coding: string, st: State): AsyncGenerator<Buffer> {
  switch (coding) {
    case '':
    case 'identity':
      yield* src;
      return;
    case 'gzip':
    case 'x-gzip':
      yield* through(src, createGunzip(), 'gzip', st);
      return;
    case 'br':
      yield* through(src, createBrotliDecompress(), 'brotli', st);
      return;
    case 'deflate': {
      // "deflate" is zlib-wrapped by the standard, raw deflate from some servers: tell them apart.
      const { head, all } = await peek(src, 2);
      yield* through(all, isZlib(head) ? createInflate() : createInflateRaw(), 'deflate', st);
      return;
    }
    default:
      throw new BodyEncodingError(`unsupported Content-Encoding "${coding}"`);
  }
}

/** A gzip stream that arrived without a Content-Encoding (a `.gz` file, a gzip body) is read as what it holds. */
async function* gunzipIfMagic(src: Chunks, st: State): AsyncGenerator<Buffer> {
  const { head, all } = await peek(src, 2);
  yield* isGzip(head) ? through(all, createGunzip(), 'gzip', st) : all;
}

export interface BodyOptions {
  /** Largest body accepted, after decompression (the compressed bytes are held to it too). */
  maxBytes: number;
  /** The HTTP Content-Encoding header, if any. */
  contentEncoding?: string;
  /** Aborts the read (a wall-clock deadline). */
  signal?: AbortSignal;
}

/** Caps a stream of chunks at `max` bytes. */
async function* capped(src: Chunks, max: number, st?: State): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of src) {
    size += chunk.length;
    if (size > max) throw new BodyTooLargeError(max, st?.decompressed ?? false);
    yield chunk;
  }
}

/**
 * Reads a raw body (an HTTP response or a file stream) to a Buffer, decompressed, within `maxBytes`.
 * Throws BodyTooLargeError past the cap, BodyEncodingError for an unsupported or corrupt coding, and the
 * abort reason when `signal` fires.
 */
export async function readBody(raw: Readable, opts: BodyOptions): Promise<Buffer> {
  const codings = (opts.contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity');
  if (codings.length > 2)
    throw new BodyEncodingError(`too many Content-Encodings ("${opts.contentEncoding}")`);
  const onAbort = () => raw.destroy(opts.signal?.reason ?? new Error('aborted'));
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const st: State = { decompressed: false };
    let src: Chunks = capped(raw as AsyncIterable<Buffer>, opts.maxBytes);
    // Codings are listed in the order they were applied: undo them last first.
    for (const coding of codings.reverse()) src = decodeCoding(src, coding, st);
    src = gunzipIfMagic(src, st);
    const chunks: Buffer[] = [];
    for await (const chunk of capped(src, opts.maxBytes, st)) chunks.push(chunk);
    return Buffer.concat(chunks);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    raw.destroy();
  }
}
