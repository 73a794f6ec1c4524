/**
 * The one base of every error a user may see. `code` says what went wrong in a word callers can branch on,
 * `exitCode` what the CLI exits with (2: the input or the setup is wrong, fix it and run again; 1: the work
 * itself failed). `main()` prints `crier: <message>` and exits with `exitCode`; anything that is not a
 * CrierError is a bug and keeps its stack trace.
 *
 * Like BullMQ's error classes, a sentinel marks instances, so two copies of this module (a compiled one and
 * a source one in tests, or two installs) still recognise each other's errors: use `isCrierError`, not
 * `instanceof`, across such boundaries.
 */
const SENTINEL = Symbol.for('crier.error');

export interface CrierErrorOptions {
  /** Default 2 (bad input or setup). */
  exitCode?: number;
  cause?: unknown;
}

export class CrierError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly [SENTINEL] = true;

  constructor(code: string, message: string, opts: CrierErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CrierError';
    this.code = code;
    this.exitCode = opts.exitCode ?? 2;
  }
}

export function isCrierError(e: unknown): e is CrierError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[SENTINEL] === true;
}

/** A mistake in what the user typed (an argument, an option, an environment variable): exit 2. */
/**
 * A message on one line and safe for a terminal: control characters a path, a URL or a server's answer
 * carries (line breaks, escape sequences) are written as JSON escapes (`\n`, `\u001b`).
 */
export function oneLine(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export class UsageError extends CrierError {
  constructor(message: string, code = 'usage') {
    super(code, oneLine(message));
    this.name = 'UsageError';
  }
}
