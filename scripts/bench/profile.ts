/**
 * Where a worker's time and Redis traffic go:
 * - a V8 CPU profile (.cpuprofile) summed by self time: the top functions, and by package or source file;
 * - MONITOR lines of the worker's connections, grouped by command and the kind of key it touches (BullMQ's
 *   scripts named by their SHA, Crier's EVALs by the key they take).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time of each function (native functions included, e.g. a socket write). */
  topFunctions: ProfileRow[];
  /**
   * Time by package or project file: each sample goes to the innermost frame that belongs to a package or to
   * Crier's code, so a socket write counts for the library that asked for it (GC stays apart).
   */
  byArea: ProfileRow[];
  /** Crier's own functions (src/, jobs/) by inclusive time: what they and everything they call cost. */
  projectInclusive: ProfileRow[];
}

/** "node_modules/@bull-board/api/…" → "@bull-board/api"; "src/ledger/ledger.ts" stays; node:… → node. */
function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  return relative(ROOT, path);
}

function where(url: string, line: number): string {
  if (!url) return '';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  const short = nm >= 0 ? path.slice(nm + 'node_modules/'.length) : relative(ROOT, path);
  return `${short}:${line + 1}`;
}

const TRANSPARENT = new Set(['(native)', 'node internals', '(program)', '(root)', 'scripts/bench/probe.mjs']);
/** Crier's own code: sources, or their tsc output in dist/ (not the bundle chunks of dist/cli). */
const isProject = (a: string) => /^(?:dist\/)?(?:src|jobs)\//.test(a);

export function summariseProfile(file: string, top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; it is spent in the node of sample i - 1.
  for (let i = 1; i < p.samples.length; i++) {
    const id = p.samples[i - 1]!;
    self.set(id, (self.get(id) ?? 0) + p.timeDeltas[i]! / 1000);
  }
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, ms: number) => m.set(k, (m.get(k) ?? 0) + ms);
  let totalMs = 0;
  for (const [id, ms] of self) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') continue;
    totalMs += ms;
    add(fns, `${f.functionName || '(anonymous)'} ${where(f.url, f.lineNumber)}`.trim(), ms);
    // The innermost frame that is a package or Crier's code takes the sample.
    let owner: string | undefined;
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const c = byId.get(n)!.callFrame;
      const a = area(c.url, c.functionName);
      // The bench's probe wraps socket writes: the write belongs to whoever called it.
      if (!owner && !TRANSPARENT.has(a)) owner = a;
      const name = `${c.functionName || '(anonymous)'} ${where(c.url, c.lineNumber)}`;
      if (isProject(a) && !seen.has(name)) {
        seen.add(name);
        add(inclusive, name, ms);
      }
    }
    add(
      areas,
      f.functionName === '(garbage collector)'
        ? '(garbage collector)'
        : (owner ?? area(f.url, f.functionName)),
      ms,
    );
  }
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: ms / totalMs }));
  return { totalMs, topFunctions: rows(fns), byArea: rows(areas), projectInclusive: rows(inclusive) };
}

/** BullMQ's Lua scripts by the SHA1 ioredis sends them under. */
function bullmqScripts(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const scripts = require('bullmq/dist/cjs/scripts/index.js') as Record<
    string,
    { name: string; content: string }
  >;
  return new Map(
    Object.values(scripts).map((s) => [createHash('sha1').update(s.content).digest('hex'), s.name] as const),
  );
}

export interface MonitorLine {
  source: string;
  args: string[];
}

export interface CommandRow {
  name: string;
  perPost: number;
  share: number;
}

/** Commands per post by what they are: "EVALSHA moveToFinished (bullmq publish jobs)", "HGET ledger", … */
export function classifyCommands(
  lines: MonitorLine[],
  prefix: string,
  kindOf: (key: string) => string,
  posts: number,
): CommandRow[] {
  const names = bullmqScripts();
  const counts = new Map<string, number>();
  const isKey = (s: string | undefined) => s?.startsWith(`${prefix}:`) ?? false;
  for (const { args } of lines) {
    const cmd = (args[0] ?? '').toLowerCase();
    let label: string;
    if (cmd === 'evalsha' || cmd === 'eval') {
      const firstKey = Number(args[2]) > 0 ? args[3] : undefined;
      const where = firstKey && isKey(firstKey) ? kindOf(firstKey) : 'no key';
      const script =
        cmd === 'evalsha' ? (names.get(args[1] ?? '') ?? `script ${args[1]?.slice(0, 8)}`) : 'script text';
      label = `${cmd.toUpperCase()} ${script} (${where})`;
      if (cmd === 'eval') label += ` ${args[1]?.length ?? 0} B of Lua`;
    } else {
      const key = args.slice(1).find(isKey);
      label = `${cmd.toUpperCase()} ${key ? kindOf(key) : ''}`.trim();
    }
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const total = lines.length;
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => ({ name, perPost: n / posts, share: n / total }));
}
