import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The compiled CLI, as users run it (the test setup rebuilds dist/ when a source is newer). */
export const CLI = resolve('bin/crier.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The process had not ended by the deadline and was killed. */
  hung: boolean;
}

const slowdown = Number(process.env.CRIER_TEST_SLOWDOWN) || 1;

/**
 * Runs `crier …` (or another of the package's `bin/` scripts, `script`) with a deadline (scaled by CRIER_TEST_SLOWDOWN): a process still running then is killed
 * and reported as hung, so a test can assert that a command ends by itself.
 */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  opts: { deadlineMs?: number; cwd?: string; script?: string } = {},
): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [opts.script ?? CLI, ...args], {
      env: { ...process.env, LOG_FORMAT: 'json', ...env },
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(
      () => {
        hung = true;
        child.kill('SIGKILL');
      },
      (opts.deadlineMs ?? 20_000) * slowdown,
    );
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, hung });
    });
  });
}
