import { isatty } from 'node:tty';
import { type DestinationStream, type Logger, pino } from 'pino';

/** Names of the fields that hold a secret. */
const SECRET_NAMES = [
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'pageToken',
  'apiKey',
  'apiSecret',
  'accessSecret',
  'clientSecret',
  'password',
  'authorization',
  'Authorization',
];

/**
 * Secrets never reach a log line, whatever object they travel in: top-level fields of these names, and the
 * deeper paths where HTTP clients carry them (pino's redaction, compiled once). The same names one level down
 * (`*.accessToken`: a config, an account, a request) are censored by `censorNested`, which costs next to
 * nothing for lines without them (pino's wildcard paths tripled the cost of every line).
 */
export const REDACT_PATHS = [
  ...SECRET_NAMES,
  'headers.authorization',
  'config.headers.Authorization',
  'err.config.headers.Authorization',
];

const CENSOR = '[redacted]';

/** The line's fields with every secret one level down censored; the same object when there is none. */
export function censorNested(obj: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in obj) {
    const v = obj[key];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
    const inner = v as Record<string, unknown>;
    let hit = false;
    for (const name of SECRET_NAMES) {
      if (Object.hasOwn(inner, name)) {
        hit = true;
        break;
      }
    }
    if (!hit) continue;
    // A copy (the caller's object is not touched), keeping an Error an Error for pino's serializer.
    const copy = Object.create(
      Object.getPrototypeOf(inner),
      Object.getOwnPropertyDescriptors(inner),
    ) as Record<string, unknown>;
    for (const name of SECRET_NAMES) if (Object.hasOwn(copy, name)) copy[name] = CENSOR;
    out ??= { ...obj };
    out[key] = copy;
  }
  return out ?? obj;
}

export interface LoggerOptions {
  level?: string;
  /** Where lines go (tests pass a stream to read them); default stdout. */
  destination?: DestinationStream;
  /** Pretty output; default: only when stdout is a terminal and LOG_FORMAT is not json. */
  pretty?: boolean;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? 'info';
  const pretty =
    opts.pretty ?? (opts.destination === undefined && isatty(1) && process.env.LOG_FORMAT !== 'json');
  const base = {
    level,
    base: { service: 'crier' },
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }), log: censorNested },
  };
  if (opts.destination) return pino(base, opts.destination);
  if (pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  // Each line is written before the code goes on (a worker killed the next instant has logged its last
  // transition), to file descriptor 1 itself: pino's default destination hands every line to libuv's thread
  // pool, and creating process.stdout would make a pipe or socket non-blocking, where a synchronous writer
  // meets EAGAIN whenever the log reader falls behind and sleeps 100 ms (pinojs/pino#783). On the descriptor
  // as the process got it, a write waits only as long as the reader needs, as console.log does on a pipe.
  return pino(base, pino.destination({ dest: 1, sync: true }));
}

/** Removes anything that looks like a credential from free text (URLs with access_token=, Bearer headers). */
export function scrubSecrets(text: string): string {
  return text
    .replace(
      /(access_token|refresh_token|client_secret|oauth_signature|oauth_token)=([^&\s"']+)/gi,
      '$1=[redacted]',
    )
    .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer [redacted]');
}
