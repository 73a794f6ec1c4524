/**
 * Times as the operator reads and types them: shown in the zone of the schedule they belong to (the account's
 * posting slots, else the configuration's site.timezone, else this machine's zone), always with the offset,
 * in the same ISO-8601 form `--at` accepts, so a time can be copied from `crier schedule list` into a command.
 */
import type { CrierConfig } from '../config/schema.js';
import { UsageError } from '../core/errors.js';
import { formatInZone } from '../schedule/zone-time.js';
import { resolveWallTime, type WallTime } from './wall-time.js';

type ZoneConfig = Pick<CrierConfig, 'site' | 'accounts'>;

/** The machine's own zone (TZ, else the system's), used when the configuration names none. */
let machineZone: string | undefined;
export function systemZone(): string {
  machineZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return machineZone;
}

/** The zone a time of this account is shown in; without an account, the site's. */
export function zoneFor(config: ZoneConfig, account?: string): string {
  const a = account ? config.accounts.find((x) => x.id === account) : undefined;
  if (a?.schedule.mode === 'slots') return a.schedule.timezone;
  return config.site.timezone ?? systemZone();
}

/** `2026-12-01T08:00:00+01:00`; an unreadable or missing time is shown as given. */
export function showTime(iso: string | undefined | null, zone: string): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : formatInZone(new Date(t), zone);
}

/** `--at`: its own offset, else site.timezone; without either it is an error (stated in --help). */
export function resolveAt(at: WallTime, config: Pick<CrierConfig, 'site'>): Date {
  return resolveWallTime(at, config.site.timezone);
}

const YEAR_MS = 366 * 86_400_000;

/** `--at` for something still to happen: not in the past (a minute of slack), at most a year ahead. */
export function futureAt(at: WallTime, config: Pick<CrierConfig, 'site'>, now = Date.now()): Date {
  const t = resolveAt(at, config);
  if (t.getTime() < now - 60_000)
    throw new UsageError(`--at "${at.text}" is in the past: expected a time still to come`);
  if (t.getTime() > now + YEAR_MS)
    throw new UsageError(`--at "${at.text}" is more than a year ahead: expected a time within a year`);
  return t;
}
