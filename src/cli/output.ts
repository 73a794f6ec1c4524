/**
 * What a one-off command prints. Results go to stdout: human lines, or JSON with `--json` or
 * LOG_FORMAT=json. Log lines go to stderr: pino JSON when LOG_FORMAT=json or when stderr is not a terminal
 * (a log collector reads them), one readable line each on a terminal or with LOG_FORMAT=pretty.
 */
import { type Logger, pino } from 'pino';
import { logSettings } from '../config/runtime.js';
import { createLogger } from '../core/logger.js';

export interface Output {
  /** JSON results (`--json` or LOG_FORMAT=json). */
  json: boolean;
  logger: Logger;
  /** Prints the result of the command: `human` (lines, or a function making them) or `data` as JSON. */
  result(human: string | string[] | (() => string | string[]), data: unknown): void;
}

const SKIP = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

function humanLine(line: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.trimEnd();
  }
  const level = String(rec.level ?? 'info');
  const head = level === 'info' || level === 'debug' || level === 'trace' ? '' : `${level}: `;
  const extras = Object.entries(rec)
    .filter(([k, v]) => !SKIP.has(k) && v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return `crier: ${head}${String(rec.msg ?? '')}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}

/** A pino destination that writes each log record as one human line. */
function humanStream(out: NodeJS.WritableStream) {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line) out.write(`${humanLine(line)}\n`);
    },
  };
}

export function cliLogger(json: boolean, env: Record<string, string | undefined> = process.env): Logger {
  const { level, format } = logSettings(env);
  const humanLogs = format === 'pretty' || (format === undefined && !json && process.stderr.isTTY === true);
  if (!humanLogs) return createLogger({ level, destination: pino.destination({ fd: 2, sync: true }) });
  return createLogger({ level, destination: humanStream(process.stderr) });
}

export function createOutput(
  opts: { json?: boolean },
  env: Record<string, string | undefined> = process.env,
): Output {
  const json = Boolean(opts.json) || logSettings(env).format === 'json';
  return {
    json,
    logger: cliLogger(json, env),
    result(human, data) {
      if (json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      else {
        const text = typeof human === 'function' ? human() : human;
        process.stdout.write(`${Array.isArray(text) ? text.join('\n') : text}\n`);
      }
    },
  };
}
