#!/usr/bin/env node
// CPU time of CLI start-ups as ratios against `node -e 0` measured in the same run (issue 9's targets:
// --help and --version under 3x, status under 6x, preview of the sample under 8x).
//
//   node scripts/startup-cpu.mjs [--runs 15] [--json]
//
// Each command runs `runs` times, interleaved with the baseline, as a child process; its user+system CPU is
// taken from the child itself at exit (process.resourceUsage(), all threads, through a one-line --import
// probe that the baseline carries too) and, as a cross-check, from the kernel's accounting of waited-for
// children (/proc/self/stat cutime+cstime, 10 ms ticks, so only the mean over all runs is read from it).
// Medians are compared. `status` needs a Redis (REDIS_URL, default 127.0.0.1:6379) and uses its own prefix.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 15;
const dir = mkdtempSync(join(tmpdir(), 'crier-startup-'));
const probe = join(dir, 'probe.mjs');
writeFileSync(
  probe,
  "import { writeFileSync } from 'node:fs';\n" +
    "process.on('exit', () => { const u = process.resourceUsage(); " +
    'writeFileSync(process.env.CPU_PROBE_OUT, String(u.userCPUTime + u.systemCPUTime)); });\n',
);
const cli = join(root, 'bin/crier.js');
const sample = join(root, 'config/sample-article.txt');
const env = { ...process.env, CRIER_PREFIX: `crier-startup-${randomUUID().slice(0, 8)}`, LOG_FORMAT: 'json' };
delete env.NODE_OPTIONS;

const cases = [
  { name: 'node -e 0', argv: ['-e', '0'], target: null },
  { name: 'crier --help', argv: [cli, '--help'], target: 3 },
  { name: 'crier --version', argv: [cli, '--version'], target: 3 },
  { name: 'crier status', argv: [cli, 'status', '--json'], target: 6 },
  {
    name: 'crier preview (sample)',
    argv: [cli, 'preview', sample, '--url', 'https://example.org/a', '--json'],
    target: 8,
  },
];

function ticks() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return Number(fields[14]) + Number(fields[15]); // cutime + cstime (fields 16, 17 of proc(5))
}
const hz = 100;

const samples = new Map(cases.map((c) => [c.name, { probe: [], ticks: 0 }]));
const out = join(dir, 'cpu');
for (let i = 0; i < runs + 1; i++) {
  for (const c of cases) {
    const before = existsSync('/proc/self/stat') ? ticks() : 0;
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(probe).href, ...c.argv], {
      cwd: root,
      env: { ...env, CPU_PROBE_OUT: out },
      encoding: 'utf8',
    });
    const after = existsSync('/proc/self/stat') ? ticks() : 0;
    if (r.status !== 0) {
      console.error(`${c.name} failed (exit ${r.status}):\n${r.stderr}`);
      process.exit(1);
    }
    if (i === 0) continue; // warm-up: file cache, Redis connection
    const s = samples.get(c.name);
    s.probe.push(Number(readFileSync(out, 'utf8')) / 1000);
    s.ticks += ((after - before) * 1000) / hz;
  }
}
rmSync(dir, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const base = samples.get('node -e 0');
const baseMedian = median(base.probe);
const baseMean = base.ticks / runs;
const results = cases.map((c) => {
  const s = samples.get(c.name);
  const ms = median(s.probe);
  return {
    command: c.name,
    cpuMsMedian: Number(ms.toFixed(1)),
    ratio: Number((ms / baseMedian).toFixed(2)),
    ratioKernelMean: Number((s.ticks / runs / baseMean).toFixed(2)),
    target: c.target,
    ok: c.target === null || ms / baseMedian < c.target,
  };
});
if (args.includes('--json')) console.log(JSON.stringify({ runs, results }, null, 2));
else {
  console.log(`CPU time of one start-up (median of ${runs} runs), against node -e 0 in the same run`);
  console.log('command                   cpu ms   ratio  (kernel, mean)  target');
  for (const r of results)
    console.log(
      `${r.command.padEnd(24)} ${String(r.cpuMsMedian).padStart(7)} ${r.ratio.toFixed(2).padStart(6)}x  (${r.ratioKernelMean.toFixed(2)}x)${r.target ? `        < ${r.target}x ${r.ok ? 'ok' : 'MISSED'}` : ''}`,
    );
}
if (results.some((r) => !r.ok)) process.exitCode = 1;
