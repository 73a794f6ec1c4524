/**
 * The command line: every option is checked by a parser of ./args.ts before any command runs, and each
 * command's code (with its dependencies: BullMQ, jsdom, express…) is loaded only when that command runs, so
 * `--help` and `--version` start at once.
 */
import { Command, CommanderError } from 'commander';
import { logSettings, runtimeSettings } from '../config/runtime.js';
import { isCrierError } from '../core/errors.js';
import { packageVersion } from '../core/package.js';
import { PLATFORM_LIST, PLATFORMS } from '../platforms/registry.js';
import { describeRedisFailure, isConnectionError, redisTarget } from '../queue/redis-target.js';
import {
  parseArticleRef,
  parseAt,
  parseConcurrency,
  parseFullText,
  parseHttpAddress,
  parseLimit,
  parsePlatforms,
  parsePostId,
  parseQueues,
  parseSource,
  parseTarget,
  parseUrl,
  parseWaitSeconds,
  ROLES,
} from './args.js';

export { parseAt, parseFullText, parsePlatforms } from './args.js';

const AT_HELP =
  'ISO-8601 date and time that exists, such as 2026-12-01T08:00:00+01:00; without an offset it is read in ' +
  "the configuration's site.timezone (an error when none is set)";
const PLATFORM_NAMES = PLATFORMS.join(',');
const POST_ID = 'post id from "crier schedule list" (post-<articleId>-<account>)';

/** Folds whatever commander prints for a usage mistake into one line (it may add a "Did you mean" line). */
function oneLine(text: string): string {
  return text
    .replace(/^error: /, '')
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(' ');
}

/** "X, Facebook and LinkedIn": the registered platforms as readers know them. */
function platformLabels(): string {
  const labels = PLATFORM_LIST.map((p) => p.label);
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}` : (labels[0] ?? '');
}

const FULL_TEXT_HELP =
  'feeds: complete items from their pages: auto (items that are excerpts; default), always, never';
const URL_HELP =
  "the article's link (absolute http(s)), for a source that names none (plain text, a saved page)";
const JSON_RESULT = 'print the result as JSON';
const CONCURRENCY_HELP = 'jobs at once per queue (1 to 256)';
const DRY_RUN_HELP = 'log posts instead of posting';

export function buildProgram(): Command {
  const program = createRoot();
  registerArticleCommands(program);
  registerProcessCommands(program);
  registerStatusCommands(program);
  registerPostCommands(program);
  registerApprovalCommands(program);
  registerPauseCommands(program);
  return program;
}

/** The root command: its settings come first, as subcommands copy them when they are created. */
function createRoot(): Command {
  return new Command('crier')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`crier: ${oneLine(text)}\n`) })
    .description(`Social-media auto-publisher for news sites: articles in, posts out on ${platformLabels()}.`)
    .version(packageVersion(), '-v, --version', 'print the version')
    .option('-c, --config <file>', 'configuration file (default: $CRIER_CONFIG or config/crier.yaml)')
    .addHelpText(
      'after',
      '\nA bad argument, option, configuration or environment variable prints one line saying what is wrong ' +
        'and exits with 2;\nnothing is queued or changed. So does a source that is wrong (refused, missing, too large, not a ' +
        'feed or page);\none that could not be read this time (timeout, network, server error) exits with 1.\n' +
        'The environment may come from a .env file in the working directory (see .env.example).',
    )
    .hook('preAction', (root, command) => {
      const cfg = root.opts().config as string | undefined;
      if (cfg) process.env.CRIER_CONFIG = cfg;
      // The environment is checked before anything is read or connected: a bad value is one line, exit 2.
      logSettings();
      if (command.name() !== 'preview') runtimeSettings();
    });
}

/** `preview` and `publish`: articles in. */
function registerArticleCommands(program: Command): void {
  program
    .command('preview')
    .description('show what would be posted for each article of the sources, without posting (no Redis)')
    .argument(
      '<source...>',
      'file paths or http(s) URLs: plain-text article, HTML page, RSS/Atom/JSON feed, WordPress REST',
      (value: string, previous: string[] = []) => [...previous, parseSource(value)],
    )
    .option('--url <url>', URL_HELP, parseUrl)
    .option('--json', 'JSON: one object per article (an array when there are several)')
    .option('--jsonl', 'JSON lines: one line per article')
    .option('--platforms <list>', `only these platforms (${PLATFORM_NAMES})`, parsePlatforms)
    .option('--full-text <mode>', FULL_TEXT_HELP, parseFullText)
    .action(async (sources, opts) => (await import('./commands/preview.js')).runPreview(sources, opts));

  program
    .command('publish')
    .description('queue one source for publishing (ingest → compose → publish); a worker does the work')
    .argument('<source>', 'file path or http(s) URL', parseSource)
    .option('--url <url>', URL_HELP, parseUrl)
    .option('--platforms <list>', `only these platforms (${PLATFORM_NAMES})`, parsePlatforms)
    .option('--at <time>', `publish at this time instead of now (at most a year ahead): ${AT_HELP}`, parseAt)
    .option('--dry-run', 'show the posts that would be queued and queue nothing')
    .option(
      '--wait [seconds]',
      'wait until every post is finished (needs a running worker; default 60 s, at most 86400) and print them',
      parseWaitSeconds,
    )
    .option('--json', JSON_RESULT)
    .option('--full-text <mode>', FULL_TEXT_HELP, parseFullText)
    .action(async (source, opts) => (await import('./commands/publish.js')).runPublish(source, opts));
}

/** `worker`, `scheduler` and `start`: the long-running processes. */
function registerProcessCommands(program: Command): void {
  program
    .command('worker')
    .description('run the job workers (ingest, compose, one publish queue per platform)')
    .option('--queues <list>', `only these roles: ${ROLES.join(',')}`, parseQueues)
    .option('--concurrency <n>', CONCURRENCY_HELP, parseConcurrency, 4)
    .option('--dry-run', DRY_RUN_HELP)
    .action(async (opts) => (await import('./commands/worker.js')).runWorker({ ...opts, scheduler: false }));

  program
    .command('scheduler')
    .description('run the scheduler (source polling and posting slots)')
    .action(async () =>
      (await import('./commands/worker.js')).runWorker({ scheduler: true, workers: false }),
    );

  program
    .command('start')
    .description('run the scheduler and the workers in one process')
    .option('--concurrency <n>', CONCURRENCY_HELP, parseConcurrency, 4)
    .option('--dry-run', DRY_RUN_HELP)
    .option(
      '--http <addr>',
      'serve the console (/), /hooks/articles, /healthz, /metrics and /admin/queues on [host]:port (":8080", "127.0.0.1:8080", "[::1]:8080")',
      parseHttpAddress,
    )
    .action(async (opts) => (await import('./commands/worker.js')).runWorker({ ...opts, scheduler: true }));
}

/** `status` and `schedule list`: what happened and what waits. */
function registerStatusCommands(program: Command): void {
  program
    .command('status')
    .description('queues, accounts, last posts with their links, failures and what is scheduled next')
    .option('--json', 'machine-readable output')
    .option('--limit <n>', 'how many posts and failures to list (1 to 1000)', parseLimit, 20)
    .option(
      '--article <id|url>',
      'one article: what was posted where, what failed and why, what it waits for',
      parseArticleRef,
    )
    .action(async (opts) => (await import('./commands/status.js')).runStatus(opts));

  const schedule = program.command('schedule').description('posts planned or waiting');
  schedule
    .command('list')
    .description('posts not sent yet: waiting, scheduled, rate-limited, held or failed, with their ids')
    .option('--json', 'machine-readable output')
    .action(async (opts) => (await import('./commands/operate.js')).runScheduleList(opts));
}

/** A command on one post, named by its id: `crier <name> <id>`. */
function postCommand(program: Command, name: string, description: string): Command {
  return program.command(name).description(description).argument('<id>', POST_ID, parsePostId);
}

/** `cancel`, `reschedule`, `hold`, `release`, `retry` and `edit`: one post not sent yet (or failed). */
function registerPostCommands(program: Command): void {
  postCommand(program, 'cancel', 'cancel a post that has not been sent')
    .option('--json', JSON_RESULT)
    .action(async (id, opts) => (await import('./commands/operate.js')).runCancel(id, opts));

  postCommand(program, 'reschedule', 'move a post that has not been sent to another time')
    .requiredOption('--at <time>', `new time: ${AT_HELP}`, parseAt)
    .option('--json', JSON_RESULT)
    .action(async (id, opts) => (await import('./commands/operate.js')).runReschedule(id, opts));

  postCommand(program, 'hold', 'keep a post that has not been sent from going out, until "crier release"')
    .option('--json', JSON_RESULT)
    .action(async (id, opts) => (await import('./commands/operate.js')).runHold(id, opts));

  postCommand(
    program,
    'release',
    'let a held post go: at --at, else at its planned time, its next posting slot, or now',
  )
    .option('--at <time>', `send it at this time: ${AT_HELP}`, parseAt)
    .option('--json', JSON_RESULT)
    .action(async (id, opts) => (await import('./commands/operate.js')).runRelease(id, opts));

  program
    .command('retry')
    .description(
      'send a failed post again (an unconfirmed one is looked up on the platform first), or a failed ingest or compose job',
    )
    .argument('[id]', `${POST_ID}, or ingest/<job> or compose/<job>`, parseRetryId)
    .option('--failed', 'retry everything that failed, at every stage (ingest, compose, publish)')
    .option('--resend', 'an unconfirmed post: send it without a look-up (you checked the platform)')
    .option('--json', JSON_RESULT)
    .action(async (id, opts) => (await import('./commands/operate.js')).runRetry(id, opts));

  postCommand(
    program,
    'edit',
    'replace the text of a post not sent yet (checked by the rules composed posts follow)',
  )
    .requiredOption('--text <text>', 'the new post text (X: the article link must stay in it)')
    .option('--json', JSON_RESULT)
    .action(async (id, opts) => (await import('./commands/operate.js')).runEdit(id, opts));
}

/** `approve`, `reject` and `retract`: a post awaiting approval, or one already published. */
function registerApprovalCommands(program: Command): void {
  postCommand(
    program,
    'approve',
    'let a post awaiting approval go: at its planned time, its next posting slot, or now',
  )
    .option('--json', JSON_RESULT)
    .action(async (id, opts) => (await import('./commands/operate.js')).runApprove(id, opts));

  postCommand(program, 'reject', 'drop a post awaiting approval: it is not sent')
    .option('--json', JSON_RESULT)
    .action(async (id, opts) => (await import('./commands/operate.js')).runReject(id, opts));

  postCommand(
    program,
    'retract',
    'delete a published post on its platform; it is recorded as retracted and never posted again',
  )
    .option('--json', JSON_RESULT)
    .action(async (id, opts) => (await import('./commands/operate.js')).runRetract(id, opts));
}

/** `pause` and `resume`: an account or a whole platform. */
function registerPauseCommands(program: Command): void {
  program
    .command('pause')
    .description('hold the posts of an account or a whole platform (nothing is dropped)')
    .argument('<target>', 'account id or platform name', parseTarget)
    .option('--json', JSON_RESULT)
    .action(async (target, opts) => (await import('./commands/operate.js')).runPause(target, opts));

  program
    .command('resume')
    .description('let the posts of a paused account or platform go')
    .argument('<target>', 'account id or platform name', parseTarget)
    .option('--json', JSON_RESULT)
    .action(async (target, opts) => (await import('./commands/operate.js')).runResume(target, opts));
}

/**
 * Runs the command line. A CrierError (bad argument, configuration, environment, Redis down, a refused
 * operation, an unreadable source) is one line `crier: …` and its exit code; anything else is a bug and
 * keeps its stack trace (exit 1).
 */
export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.exitCode = report(err);
  }
}

/** `retry`: a post id, or a failed ingest or compose job as `schedule list` names it. */
function parseRetryId(value: string): string {
  return /^(ingest|compose)\/[^\s]+$/.test(value) ? value : parsePostId(value);
}

function report(err: unknown): number {
  // Commander has already printed its one line (or the help, or the version).
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  if (isCrierError(err)) {
    console.error(`crier: ${err.message}`);
    return err.exitCode;
  }
  const redis = redisFailureLine(err);
  if (redis) {
    console.error(`crier: ${redis}`);
    return 2;
  }
  const e = err as Error;
  console.error(`crier: ${e?.stack ?? String(err)}`);
  return 1;
}

/** A one-off command whose Redis stopped answering (a timeout, a lost connection): one line, never a stack. */
function redisFailureLine(err: unknown): string | null {
  if (!isConnectionError(err)) return null;
  try {
    return describeRedisFailure(
      err,
      redisTarget(process.env).label,
      runtimeSettings(process.env).redisTimeoutMs,
    );
  } catch {
    return null;
  }
}
