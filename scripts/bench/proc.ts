/** Process helpers of the bench: children with line-wise output, their CPU time and RSS from /proc. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU seconds of a live process (all its threads), from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / TICKS_PER_SECOND;
}

/** Resident set size of a live process in bytes (VmRSS), and its peak (VmHWM). */
export function rssBytes(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line that satisfies `match` (rejects when the process exits first). */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Last lines of stderr and stdout, for error messages. */
  tail(): string;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

/** Spawns `node args…`: stdout is read line by line (and otherwise dropped), stderr kept for errors. */
export function startNode(args: string[], env: NodeJS.ProcessEnv, nodeOptions: string[] = []): Child {
  const proc = spawn(process.execPath, [...nodeOptions, ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  const waiters: Array<{ match: (l: string) => boolean; done: (l: string) => void }> = [];
  const keep = (l: string) => {
    recent.push(l);
    if (recent.length > 30) recent.shift();
  };
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    keep(line);
    for (const w of [...waiters]) {
      if (w.match(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done(line);
      }
    }
  });
  createInterface({ input: proc.stderr! }).on('line', keep);
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((resolve) =>
    proc.once('exit', (code, signal) => {
      exited = code ?? (signal ? 128 : null);
      resolve(exited);
    }),
  );
  return {
    proc,
    pid: proc.pid!,
    tail: () => recent.join('\n'),
    waitForLine(match, timeoutMs = 120_000) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no expected output in ${timeoutMs} ms from ${args.join(' ')}:\n${recent.join('\n')}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          match,
          done: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        void exit.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${args.join(' ')} exited (${code}) early:\n${recent.join('\n')}`));
        });
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (exited !== undefined) return exited;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `stepMs` until it is true or `timeoutMs` passes (then throws). */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, stepMs = 200) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(stepMs);
  }
}
