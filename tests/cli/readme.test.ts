/**
 * Docs that cannot drift: the README's failure table lists exactly the failure kinds of the code, and its
 * command list names exactly the commands of the CLI, each with options that exist (and every option of the
 * CLI is mentioned in the README's Commands section).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { FAILURE_KINDS } from '../../src/core/failure.js';

const readme = readFileSync('README.md', 'utf8');

function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `README has a "## ${title}" section`).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** Every command of the program with its full name ("schedule list") and its long options. */
function commands(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (cmd: Command, prefix: string) => {
    for (const sub of cmd.commands) {
      const name = `${prefix}${sub.name()}`;
      if (sub.commands.length) walk(sub, `${name} `);
      else out.set(name, sub.options.map((o) => o.long!).filter(Boolean));
    }
  };
  walk(buildProgram(), '');
  return out;
}

describe('README matches the code', () => {
  it('the failure table lists exactly the failure kinds adapters classify into', () => {
    const rows = [...readme.matchAll(/^\| `([a-z-]+)` +\|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual([...FAILURE_KINDS].sort());
  });

  it('the command list names exactly the commands of the CLI, with options that exist', () => {
    const block = /```sh\n([\s\S]*?)```/.exec(section('Commands'))![1]!;
    const lines = block.split('\n').filter((l) => l.startsWith('npx crier '));
    const documented = new Map<string, string[]>();
    for (const line of lines) {
      const words = line.replace('npx crier ', '').split(' ');
      if (words[0]!.startsWith('-')) continue; // --help | --version
      const name = words[1] && /^[a-z]+$/.test(words[1]) ? `${words[0]} ${words[1]}` : words[0]!;
      documented.set(
        name,
        [...line.matchAll(/(--[a-z][a-z-]*)/g)].map((m) => m[1]!),
      );
    }
    const actual = commands();
    expect([...documented.keys()].sort()).toEqual([...actual.keys()].sort());
    for (const [name, flags] of documented)
      expect(
        flags.filter((f) => !actual.get(name)!.includes(f)),
        `${name}: options in README that do not exist`,
      ).toEqual([]);
  });

  it('every option of every command is documented in the Commands section', () => {
    const text = section('Commands');
    const missing = [...commands()].flatMap(([name, flags]) =>
      flags.filter((f) => !text.includes(f)).map((f) => `${name} ${f}`),
    );
    expect(missing).toEqual([]);
    for (const global of ['--version', '--help', '--config']) expect(text).toContain(global);
  });
});
