import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config/load.js';
import { OperationError } from '../control/posts.js';
import type { PlatformName } from '../core/platform.js';
import { FetchPolicyError } from '../fetch/policy.js';
import { isPlatform, PLATFORM_DESCRIPTORS, PLATFORMS } from '../platforms/registry.js';
import { RedisUnavailableError } from '../queue/connection.js';
import { ScheduleConfigError } from '../schedule/plan.js';
import {
  runCancel,
  runHold,
  runPause,
  runRelease,
  runReschedule,
  runResume,
  runRetry,
  runScheduleList,
} from './commands/operate.js';
import { runPreview } from './commands/preview.js';
import { runPublish } from './commands/publish.js';
import { runStatus } from './commands/status.js';
import { runWorker } from './commands/worker.js';
import { UsageError } from './usage-error.js';

export function parsePlatforms(value: string): PlatformName[] {
  const list = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.filter((p) => !isPlatform(p));
  if (bad.length || list.length === 0)
    throw new InvalidArgumentError(
      `unknown platform "${bad.join(',') || value}": expected a comma list of ${PLATFORMS.join(', ')}`,
    );
  return list as PlatformName[];
}

export function parseAt(value: string): string {
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ||
    Number.isNaN(Date.parse(value))
  )
    throw new InvalidArgumentError(
      `"${value}" is not an ISO-8601 time with an offset, such as 2026-12-01T08:00:00+01:00`,
    );
  return new Date(value).toISOString();
}

/** "X, Facebook and LinkedIn": the registered platforms as readers know them. */
function platformLabels(): string {
  const labels = PLATFORM_DESCRIPTORS.map((d) => d.label);
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}` : (labels[0] ?? '');
}

const FULL_TEXT_HELP =
  'feeds: complete items from their pages: auto (items that are excerpts; default), always, never';

export function parseFullText(value: string): 'auto' | 'always' | 'never' {
  if (value === 'auto' || value === 'always' || value === 'never') return value;
  throw new InvalidArgumentError(`"${value}" is not a full-text mode: expected auto, always or never`);
}

export function buildProgram(): Command {
  const platformList = PLATFORMS.join(',');
  const program = new Command('crier')
    .description(`Social-media auto-publisher for news sites: articles in, posts out on ${platformLabels()}.`)
    .option('-c, --config <file>', 'configuration file (default: $CRIER_CONFIG or config/crier.yaml)')
    .showHelpAfterError()
    .hook('preAction', (cmd) => {
      const cfg = cmd.opts().config as string | undefined;
      if (cfg) process.env.CRIER_CONFIG = cfg;
    });

  program
    .command('preview')
    .description('show what would be posted for each article of the sources, without posting')
    .argument(
      '<source...>',
      'file paths or URLs: plain-text article, HTML page, RSS/Atom/JSON feed, WordPress REST',
    )
    .option('--url <url>', "the article's link, for a source that names none (plain text, a saved page)")
    .option('--json', 'JSON: one object per article (an array when there are several)')
    .option('--jsonl', 'JSON lines: one line per article')
    .option('--platforms <list>', `only these platforms (${platformList})`, parsePlatforms)
    .option('--full-text <mode>', FULL_TEXT_HELP, parseFullText)
    .action(runPreview);

  program
    .command('publish')
    .description('queue one source for publishing (ingest → compose → publish); a worker does the work')
    .argument('<source>', 'file path or URL')
    .option('--url <url>', "the article's link, for a source that names none (plain text, a saved page)")
    .option('--platforms <list>', `only these platforms (${platformList})`, parsePlatforms)
    .option('--at <iso>', 'publish at this time (ISO-8601 with offset) instead of now', parseAt)
    .option('--dry-run', 'compose and log the posts instead of posting')
    .option('--wait [seconds]', 'wait until every post is finished (needs a running worker) and print them')
    .option('--json', 'print the result as JSON')
    .option('--full-text <mode>', FULL_TEXT_HELP, parseFullText)
    .action(runPublish);

  program
    .command('worker')
    .description('run the job workers (ingest, compose, one publish queue per platform)')
    .option('--queues <list>', `only these roles: ingest,compose,${platformList}`)
    .option('--concurrency <n>', 'jobs at once per queue', (v) => Number.parseInt(v, 10), 4)
    .option('--dry-run', 'log posts instead of posting')
    .action((opts) => runWorker({ ...opts, scheduler: false }));

  program
    .command('scheduler')
    .description('run the scheduler (source polling and posting slots)')
    .action(() => runWorker({ scheduler: true, workers: false }));

  program
    .command('start')
    .description('run the scheduler and the workers in one process')
    .option('--concurrency <n>', 'jobs at once per queue', (v) => Number.parseInt(v, 10), 4)
    .option('--dry-run', 'log posts instead of posting')
    .option('--http <addr>', 'serve /healthz, /metrics and /admin/queues on [host]:port')
    .action((opts) => runWorker({ ...opts, scheduler: true }));

  program
    .command('status')
    .description('queues, accounts, last posts with their links, failures and what is scheduled next')
    .option('--json', 'machine-readable output')
    .option('--limit <n>', 'how many posts and failures to list', (v) => Number.parseInt(v, 10), 20)
    .option(
      '--article <id|url>',
      'one article: what was posted where, what failed and why, what it waits for',
    )
    .action(runStatus);

  const schedule = program.command('schedule').description('posts planned or waiting');
  schedule
    .command('list')
    .description('posts not sent yet: waiting, scheduled, rate-limited, held or failed, with their ids')
    .option('--json', 'machine-readable output')
    .action(runScheduleList);

  program
    .command('cancel')
    .description('cancel a post that has not been sent')
    .argument('<id>', 'post id from "crier schedule list" (post-<articleId>-<account>)')
    .action(runCancel);

  program
    .command('reschedule')
    .description('move a post that has not been sent to another time')
    .argument('<id>', 'post id from "crier schedule list"')
    .requiredOption('--at <iso>', 'new time, ISO-8601 with offset', parseAt)
    .action(runReschedule);

  program
    .command('hold')
    .description('keep a post that has not been sent from going out, until "crier release"')
    .argument('<id>', 'post id from "crier schedule list"')
    .action(runHold);

  program
    .command('release')
    .description('let a held post go: at --at, else at its planned time, its next posting slot, or now')
    .argument('<id>', 'post id from "crier schedule list"')
    .option('--at <iso>', 'send it at this time (ISO-8601 with offset)', parseAt)
    .action(runRelease);

  program
    .command('retry')
    .description('send a failed post again (an unconfirmed one is looked up on the platform first)')
    .argument('[id]', 'post id from "crier schedule list"')
    .option('--failed', 'retry every failed post')
    .action(runRetry);

  program
    .command('pause')
    .description('hold the posts of an account or a whole platform (nothing is dropped)')
    .argument('<target>', 'account id or platform name')
    .action(runPause);

  program
    .command('resume')
    .description('let the posts of a paused account or platform go')
    .argument('<target>', 'account id or platform name')
    .action(runResume);

  return program;
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (
      err instanceof ConfigError ||
      err instanceof RedisUnavailableError ||
      err instanceof OperationError ||
      err instanceof ScheduleConfigError ||
      err instanceof FetchPolicyError ||
      err instanceof UsageError
    ) {
      console.error(`crier: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    const e = err as Error & { code?: string };
    console.error(`crier: ${e.name === 'SourceError' ? e.message : (e.stack ?? e.message)}`);
    process.exitCode = 1;
  }
}
