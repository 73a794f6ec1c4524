// The chaos suite (npm run chaos): each scenario of issue 12 against fake platforms whose own duplicate
// refusal is off, comparing what they hold with Crier's ledger per (article, account).
//
//   npm run chaos                          all six scenarios, full size
//   npm run chaos -- kill-storm api-storm  some of them
//   npm run chaos -- --reduced             the small versions (those npm test runs)
//   CHAOS_SEED=42 npm run chaos            replay the random choices of a run
//
// Prints a table (the one docs/reliability.md publishes) and writes .chaos/results.json; exits 1 when a post
// was lost, doubled or left stuck.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { SCENARIOS, type ScenarioName, type ScenarioResult, seeded } from './chaos/scenarios.js';

const args = process.argv.slice(2);
const size = args.includes('--reduced') ? 'reduced' : 'full';
const names = args.filter((a) => !a.startsWith('--')) as ScenarioName[];
const unknown = names.filter((n) => !(n in SCENARIOS));
if (unknown.length) {
  console.error(
    `chaos: unknown scenario ${unknown.join(', ')}: expected ${Object.keys(SCENARIOS).join(', ')}`,
  );
  process.exit(2);
}
const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
const random = seeded(seed);
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
console.log(
  `chaos (${size}), seed ${seed}, ${machine}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

const results: (ScenarioResult & { load: string })[] = [];
for (const name of names.length ? names : (Object.keys(SCENARIOS) as ScenarioName[])) {
  console.log(`\n== ${name}`);
  const load = loadavg()[0]!.toFixed(1);
  const r = await SCENARIOS[name]({ size, random, log: (l) => console.log(l) });
  results.push({ ...r, load });
}

const rows = results.map(
  (r) =>
    `| ${r.scenario} | ${r.expected} | ${r.once} | ${r.lost} | ${r.doubled} | ${r.stuck} | ${(r.wallMs / 1000).toFixed(0)} s | ${r.load} |`,
);
const table = [
  '| scenario | posts expected | once | lost | doubled | stuck | wall time | load (1 min) |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(
  `\n${table}\n\nmachine: ${machine}; seed ${seed}; command: CHAOS_SEED=${seed} npm run chaos${size === 'reduced' ? ' -- --reduced' : ''}`,
);
for (const r of results) console.log(`- ${r.scenario}: ${r.notes}`);
mkdirSync('.chaos', { recursive: true });
writeFileSync('.chaos/results.json', JSON.stringify({ size, seed, machine, results }, null, 2));
writeFileSync('.chaos/results.md', `${table}\n`);
process.exitCode = results.some((r) => r.lost || r.doubled || r.stuck) ? 1 : 0;
