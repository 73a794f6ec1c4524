import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';
import type { Harness } from './pipeline.js';

const CLI = resolve('bin/crier.js');

/** The bundled plain-text article of the tests, and its link. */
export const ARTICLE = resolve('tests/fixtures/article.txt');
export const ARTICLE_URL = 'https://example.org/harbour-flood-wall';

/**
 * `crier` child processes on a harness's Redis prefix and fakes, killed after each test whatever happened.
 * Each process's stdout (JSON logs) goes to a file in `dir`.
 */
export function useCrierProcesses() {
  const children: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'crier-proc-'));
  const kill = async (c: ChildProcess) => {
    c.kill('SIGKILL');
    await exited(c);
  };
  afterEach(async () => {
    for (const c of children.splice(0)) await kill(c);
  });
  return {
    dir,
    /** Writes a config file and returns its path. */
    config(name: string, yaml: string): string {
      const path = join(dir, name);
      writeFileSync(path, yaml);
      return path;
    },
    spawn(h: Harness, yamlPath: string, args: string[], env: Record<string, string> = {}): ChildProcess {
      const log = openSync(join(dir, `${args[0]}-${children.length}.log`), 'w');
      const child = spawn(process.execPath, [CLI, ...args], {
        env: {
          ...process.env,
          ...h.fakes.env(),
          REDIS_URL: h.ctx.settings.redisUrl,
          CRIER_PREFIX: h.prefix,
          CRIER_CONFIG: yamlPath,
          LOG_FORMAT: 'json',
          ...env,
        },
        stdio: ['ignore', log, log],
      });
      children.push(child);
      // Dead before the harness deletes its keys, whichever runs first of that and this helper's afterEach.
      h.beforeClose(() => kill(child));
      return child;
    },
  };
}

/** Resolves with the exit code (null when killed by a signal) once the process has exited. */
export function exited(c: ChildProcess): Promise<number | null> {
  return new Promise((r) =>
    c.exitCode !== null || c.signalCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code)),
  );
}

/** An RSS feed of `n` short articles, newest last (links `${base}-1` … `${base}-n`). */
export function feedXml(n: number, base = 'https://example.org/council'): string {
  return feedOfLinks(Array.from({ length: n }, (_, i) => `${base}-${i + 1}`));
}

/** An RSS feed with one short article per link, newest last. */
export function feedOfLinks(links: string[]): string {
  const items = links.map((link, i) => {
    const d = new Date(Date.UTC(2026, 10, 1 + i, 9)).toUTCString();
    return `<item><title>Council story ${i + 1}: ${link.split('/').pop()}</title><link>${link}</link>
      <guid>${link}</guid><pubDate>${d}</pubDate>
      <description>The council approved plan number ${i + 1} on Monday. Residents will see the first changes next spring.</description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>
    <link>https://example.org</link><description>d</description>${items.join('')}</channel></rss>`;
}
