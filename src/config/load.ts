import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { ZodError } from 'zod';
import { CrierError } from '../core/errors.js';
import { packageRoot } from '../core/package.js';
import { type CrierConfig, configSchema, editDistance } from './schema.js';

/** The configuration cannot be used: the message names the file, the key, the value and what is expected. */
export class ConfigError extends CrierError {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super('config', message);
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig extends CrierConfig {
  /** Absolute path of the file the config came from; relative source paths resolve against its folder. */
  file: string;
  dir: string;
}

export const DEFAULT_CONFIG = 'config/crier.yaml';

/** The default configuration shipped with Crier (used when the working directory has none). */
export const PACKAGED_CONFIG = join(packageRoot(), 'config/crier.yaml');

/** The config file: CRIER_CONFIG, else config/crier.yaml under the working directory, else the packaged one. */
export function configPath(env: Record<string, string | undefined> = process.env): string {
  if (env.CRIER_CONFIG) return resolve(env.CRIER_CONFIG);
  const local = resolve(DEFAULT_CONFIG);
  return existsSync(local) ? local : PACKAGED_CONFIG;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  // JSON has no Infinity or NaN (1e400 and .nan in YAML): say what was read, not "null".
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

/** One line per problem: the key, the value found and what is expected. */
export function formatZodError(err: ZodError, raw: unknown): string[] {
  return err.issues.map((issue) => {
    const key = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${k}"${hint(k)}`).join(', ');
      const where = key ? `${key}: unknown key` : 'unknown top-level key';
      return `${where} ${keys}: expected only the keys documented in the commented config/crier.yaml`;
    }
    const got = describeValue(valueAt(raw, issue.path as PropertyKey[]));
    return `${key || '(root)'}: got ${got}; expected ${expectation(issue.message)}`;
  });
}

let known: string[] | undefined;

/** Every key the schema knows, at any depth (for "did you mean"). */
function knownKeys(): string[] {
  if (known) return known;
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    if (def.type === 'object') for (const k of Object.keys(def.shape as object)) keys.add(k);
    for (const v of Object.values(def)) {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        walk(v);
        if (def.type === 'object' && v === def.shape) Object.values(v).forEach(walk);
      }
    }
  };
  walk(configSchema);
  known = [...keys];
  return known;
}

function hint(key: string): string {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of knownKeys()) {
    // The exact key exists, in another section: a spelling hint would name the key itself.
    if (k === key) return ' (a key of another section)';
    const d = editDistance(k.toLowerCase(), lower);
    if (d < bestDistance && d <= Math.max(1, Math.floor(k.length / 3))) {
      best = k;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

/** zod's message, turned into the "expected …" half of our line. */
function expectation(message: string): string {
  const m = message.replace(/^Invalid input: /, '');
  if (/^Invalid URL$/i.test(m)) return 'a URL such as https://example.org';
  if (/^Invalid option: expected one of /.test(m)) return m.replace(/^Invalid option: expected /, '');
  return m.replace(/^expected /, '');
}

export function parseConfig(text: string, file: string): LoadedConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const at = e.linePos?.[0] ? `:${e.linePos[0].line}:${e.linePos[0].col}` : '';
    const why = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${file}${at}: not valid YAML: ${why}`, file);
  }
  let raw: unknown;
  try {
    // Aliases are expanded here; yaml refuses a document whose aliases multiply (a "billion laughs").
    raw = doc.toJS();
  } catch (e) {
    const why = /alias count/i.test((e as Error).message)
      ? 'too many aliases (a document whose aliases expand without bound)'
      : (e as Error).message.split('\n')[0];
    throw new ConfigError(`${file}: not valid YAML: ${why}`, file);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = formatZodError(parsed.error, raw);
    // One problem: one line. Several: one line each, under the file's name.
    throw new ConfigError(
      lines.length === 1
        ? `${file}: ${lines[0]}`
        : `${file}: ${lines.length} problems in the configuration\n  ${lines.join('\n  ')}`,
      file,
    );
  }
  return { ...parsed.data, file, dir: dirname(file) };
}

export function loadConfig(file = configPath()): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${file}: cannot read the configuration (${code ?? String(e)}); set CRIER_CONFIG to a crier.yaml`,
      file,
    );
  }
  return parseConfig(text, file);
}
