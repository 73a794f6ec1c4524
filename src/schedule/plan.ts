import type { AccountConfig, CrierConfig, SourceConfig } from '../config/schema.js';
import { CrierError } from '../core/errors.js';
import type { QuietHours } from './quiet-hours.js';
import { isValidCron, isValidTimeZone } from './validate.js';

/** When to look at one source for new articles. */
export interface PollSchedule {
  kind: 'poll';
  /** Task name and lease-key part: `poll-<sourceId>`. */
  name: string;
  crons: string[];
  zone: string;
  source: SourceConfig;
}

/** When one `slots`-mode account posts: all its crons form one schedule (slots at the same time are one). */
export interface PostSchedule {
  kind: 'post';
  /** `post-<accountId>`. */
  name: string;
  crons: string[];
  zone: string;
  account: AccountConfig;
  quietHours?: QuietHours;
  minGapMs: number;
}

export type Schedule = PollSchedule | PostSchedule;

export class ScheduleConfigError extends CrierError {
  constructor(readonly problems: string[]) {
    super('schedule-config', `the schedules cannot start:\n  ${problems.join('\n  ')}`);
    this.name = 'ScheduleConfigError';
  }
}

/** Every schedule the config asks for: sources with a `schedule`, enabled accounts in `slots` mode. */
export function schedulesOf(config: Pick<CrierConfig, 'sources' | 'accounts'>): Schedule[] {
  const out: Schedule[] = [];
  for (const source of config.sources) {
    if (!source.schedule) continue;
    out.push({
      kind: 'poll',
      name: `poll-${source.id}`,
      crons: [source.schedule.cron],
      zone: source.schedule.timezone,
      source,
    });
  }
  for (const account of config.accounts) {
    const s = account.schedule;
    if (!account.enabled || s.mode !== 'slots') continue;
    out.push({
      kind: 'post',
      name: `post-${account.id}`,
      crons: [...new Set(s.slots)],
      zone: s.timezone,
      account,
      quietHours: s.quietHours,
      minGapMs: s.minGapMinutes * 60_000,
    });
  }
  return out;
}

/**
 * The config schema already refuses bad crons and zones; this second check is for configs built in code, and
 * because node-cron accepts any zone string and only throws later, inside a timer, where it would kill the
 * process. Throws one error listing every problem.
 */
export function assertValidSchedules(schedules: Schedule[]): void {
  const problems: string[] = [];
  for (const s of schedules) {
    if (!isValidTimeZone(s.zone))
      problems.push(
        `${s.name}: time zone "${s.zone}" is unknown; expected an IANA zone such as "Europe/Paris"`,
      );
    for (const c of s.crons) {
      if (!isValidCron(c))
        problems.push(
          `${s.name}: cron "${c}" is not valid; expected 5 or 6 fields such as "0 8,12,18 * * 1-5"`,
        );
    }
  }
  if (problems.length) throw new ScheduleConfigError(problems);
}
