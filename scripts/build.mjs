#!/usr/bin/env node
// Compiles src/ and jobs/ to dist/ with tsc (tsconfig.build.json): what bin/crier.js runs. Nothing compiles at
// run time. `npm ci` runs this through "prepare", `npm test` through "pretest", and the test setup runs it
// with --if-stale, so a test that spawns the CLI never runs old code.
//   node scripts/build.mjs             clean build
//   node scripts/build.mjs --if-stale  only when a source is newer than the last build
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

function sourcesTime() {
  return Math.max(
    ...['src', 'jobs', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((p) =>
      newest(join(root, p)),
    ),
  );
}

if (process.argv.includes('--if-stale') && existsSync(stamp) && statSync(stamp).mtimeMs >= sourcesTime())
  process.exit(0);

let tsc;
try {
  const manifest = createRequire(join(root, 'package.json')).resolve('typescript/package.json');
  tsc = join(dirname(manifest), 'bin/tsc');
} catch {
  // `npm ci --omit=dev` (a production image) has no TypeScript: dist/ must come from a build stage.
  if (existsSync(join(dist, 'src/cli/main.js'))) process.exit(0);
  console.error(
    'build: TypeScript is not installed and dist/ is missing: run "npm ci" (with dev dependencies)',
  );
  process.exit(1);
}

const started = sourcesTime();
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
  cwd: root,
});
// The stamp carries the time of the newest source compiled: one edited while tsc ran stays newer than it.
writeFileSync(stamp, `${new Date().toISOString()}\n`);
utimesSync(stamp, started / 1000, started / 1000);
