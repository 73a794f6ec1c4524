import { type DestinationStream, type Logger, pino } from 'pino';

/** Secrets never reach a log line, whatever object they travel in. */
export const REDACT_PATHS = [
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
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.pageToken',
  '*.apiKey',
  '*.apiSecret',
  '*.accessSecret',
  '*.clientSecret',
  '*.password',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'config.headers.Authorization',
  'err.config.headers.Authorization',
];

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
    opts.pretty ??
    (opts.destination === undefined && process.stdout.isTTY === true && process.env.LOG_FORMAT !== 'json');
  const base = {
    level,
    base: { service: 'crier' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (opts.destination) return pino(base, opts.destination);
  if (pretty) return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(base);
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
