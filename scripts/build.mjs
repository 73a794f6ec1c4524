#!/usr/bin/env node
// Compiles src/ and jobs/ to dist/src and dist/jobs with tsc (tsconfig.build.json), then bundles the
// compiled CLI with esbuild into dist/cli/: one entry and one chunk per command (code splitting), so a
// command parses only the code it runs instead of resolving and reading hundreds of files of node_modules
// (BullMQ, ioredis, zod, yaml… start about twice as fast bundled). Packages that find their own files at run
// time (workers, native add-ons, static assets) stay outside the bundle. bin/crier.js runs dist/cli/main.js.
// Nothing compiles at run time. `npm ci` runs this through "prepare", `npm test` through "pretest", and the test setup runs it
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

/** Packages left outside the bundle: they load files of their own at run time, or are loaded rarely. */
const EXTERNAL = [
  'jsdom', // reads its own stylesheet and worker files at run time
  'pino', // transports run in worker threads from their own files
  'pino-pretty',
  'thread-stream',
  'express', // only `start --http`
  '@bull-board/*', // serves its UI's static files from its package
  'node-cron', // background tasks fork its daemon file
  'msgpackr-extract', // native add-on (msgpackr's own require of it gets a stub: STUBS)
  'playwright-core',
  'vitest',
];

/** A function that throws, saying why its module is not in the bundle, if anything ever calls it. */
const refusing = (what, why) =>
  `function () { throw new Error(${JSON.stringify(`${what} is not in the CLI bundle: ${why}`)}); }`;

/**
 * Modules that a package requires but Crier never runs: in the bundle, `module` required from `from` (a package)
 * gets a stub exporting `exports` (the unbundled dist/src keeps the real modules).
 */
const STUBS = [
  // sbd (the sentence splitter) requires sanitize-html when it loads, for an option (`sanitize`) Crier never
  // sets (src/summaries/sentences.ts): composing loads neither it nor postcss and htmlparser2 behind it.
  {
    module: 'sanitize-html',
    from: 'sbd',
    exports: `module.exports = ${refusing('sanitize-html', "sbd's sanitize option is never set (src/summaries/sentences.ts)")};`,
  },
  // BullMQ 6 re-exports a PostgreSQL backend from its index (325 kB of SQL and classes), and loads cron-parser
  // (with luxon, 115 kB) for job schedulers' cron patterns: Crier queues on Redis and schedules with node-cron.
  { module: './postgres', from: 'bullmq', exports: 'module.exports = {};' },
  {
    module: 'cron-parser',
    from: 'bullmq',
    exports: `module.exports = { CronExpressionParser: { parse: ${refusing('cron-parser', 'Crier schedules with node-cron, never with BullMQ cron patterns')} } };`,
  },
  // msgpackr loads its native add-on (with detect-libc and node-gyp-build) to speed up unpacking; BullMQ only
  // packs with it. Without the add-on msgpackr keeps its JavaScript path, its own fallback.
  { module: 'msgpackr-extract', from: 'msgpackr', exports: 'module.exports = null;' },
  // twitter-text's Babel build requires core-js' split polyfill, whose feature test would put every
  // String#split and #replace with a regular expression on V8's slow path (src/summaries/twitter-text.ts).
  { module: 'core-js/modules/es6.regexp.split', from: 'twitter-text', exports: '' },
];

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const STUB_PLUGIN = {
  name: 'crier-stubs',
  setup(build) {
    for (const stub of STUBS) {
      const from = new RegExp(`[\\\\/]node_modules[\\\\/]${escapeRegExp(stub.from)}[\\\\/]`);
      build.onResolve({ filter: new RegExp(`^${escapeRegExp(stub.module)}(\\.js)?$`) }, (args) =>
        from.test(args.importer)
          ? { path: `${stub.from}:${stub.module}`, namespace: 'crier-stub', pluginData: stub.exports }
          : undefined,
      );
    }
    build.onLoad({ filter: /.*/, namespace: 'crier-stub' }, (args) => ({
      contents: args.pluginData,
      loader: 'js',
    }));
  },
};

/**
 * twitter-text is Babel's CommonJS build: loaded file by file it is 240 files (with core-js) and about 150 ms of
 * CPU. It is bundled alone into one CommonJS file, dist/cli/vendor/twitter-text.cjs, which
 * src/summaries/twitter-text.ts requires at its first use (synchronously, as its callers need), without the
 * split polyfill (STUBS).
 */
async function bundleTwitterText(esbuild) {
  const requireHere = createRequire(join(root, 'package.json'));
  const result = await esbuild.build({
    metafile: true,
    entryPoints: [requireHere.resolve('twitter-text')],
    outfile: join(dist, 'cli/vendor/twitter-text.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [STUB_PLUGIN],
  });
  return result.metafile;
}

async function bundle() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    console.error('build: esbuild is not installed: bin/crier.js runs the unbundled dist/src');
    return;
  }
  const result = await esbuild.build({
    metafile: true,
    entryPoints: { main: join(dist, 'src/cli/main.js') },
    outdir: join(dist, 'cli'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    plugins: [STUB_PLUGIN],
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    logLevel: 'warning',
    // CommonJS packages inside an ES module bundle still find require, __dirname and __filename.
    banner: {
      js: [
        "import { createRequire as __crierRequire } from 'node:module';",
        "import { fileURLToPath as __crierPath } from 'node:url';",
        "import { dirname as __crierDir } from 'node:path';",
        'const require = __crierRequire(import.meta.url);',
        'const __filename = __crierPath(import.meta.url);',
        'const __dirname = __crierDir(__filename);',
      ].join(' '),
    },
  });
  const vendor = await bundleTwitterText(esbuild);
  // Which sources each output file holds: tests read it to prove what a command loads.
  const meta = {
    inputs: { ...result.metafile.inputs, ...vendor.inputs },
    outputs: { ...result.metafile.outputs, ...vendor.outputs },
  };
  writeFileSync(join(dist, 'cli/meta.json'), JSON.stringify(meta));
}

await bundle();
// The stamp carries the time of the newest source compiled: one edited while tsc ran stays newer than it.
writeFileSync(stamp, `${new Date().toISOString()}\n`);
utimesSync(stamp, started / 1000, started / 1000);
