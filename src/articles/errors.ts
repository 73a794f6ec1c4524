/**
 * Why a source could not be read. Callers branch on `code` (and `status` for HTTP), never on the message.
 * - not-found: the file does not exist (HTTP 404/410 are `http` with the status kept).
 * - http: the server answered with an error status (see `status`; 404/410 mean the page was withdrawn).
 * - refused: the fetch policy refused the address (private, loopback, ...) or the scheme.
 * - timeout / network / too-large: the fetch did not complete.
 * - unparseable: the bytes are not the kind of document expected (malformed feed, JSON, ...).
 * - empty: the document parsed but holds no article text.
 */
import { CrierError, oneLine } from '../core/errors.js';

export type SourceErrorCode =
  | 'not-found'
  | 'http'
  | 'refused'
  | 'timeout'
  | 'network'
  | 'too-large'
  | 'unparseable'
  | 'empty';

/**
 * Exit code 2 when the source itself is wrong and reading it again will not help (refused by the fetch policy,
 * missing, too large, not a feed or page, no article in it, an HTTP 4xx answer, redirects that loop); exit code 1 when the reading
 * failed on the way and may work later (a timeout, a network fault, an HTTP 5xx or 429 answer).
 */
export function sourceExitCode(code: SourceErrorCode, status?: number): 1 | 2 {
  if (code === 'timeout' || code === 'network') return 1;
  // An HTTP answer with no status kept is a redirect the policy would not follow (a loop, too many).
  if (code === 'http') return status !== undefined && (status >= 500 || status === 429) ? 1 : 2;
  return 2;
}

export class SourceError extends CrierError {
  /** The location as the caller gave it (path or URL). */
  readonly source: string;
  declare readonly code: SourceErrorCode;
  /** HTTP status, when the server answered. */
  readonly status?: number;

  constructor(
    source: string,
    code: SourceErrorCode,
    problem: string,
    opts: { status?: number; cause?: unknown } = {},
  ) {
    super(code, oneLine(`${source}: ${problem}`), {
      cause: opts.cause,
      exitCode: sourceExitCode(code, opts.status),
    });
    this.name = 'SourceError';
    this.source = source;
    this.status = opts.status;
  }

  /** The page existed and is gone (HTTP 404 or 410): a withdrawn article, not a passing fault. */
  get withdrawn(): boolean {
    return this.status === 404 || this.status === 410;
  }
}

export function isSourceError(e: unknown): e is SourceError {
  return e instanceof SourceError || (e instanceof Error && e.name === 'SourceError');
}
