/**
 * Named crash points, for the tests of what survives a process killed at the worst moment (as FoundationDB's
 * and TiKV's fail points). `CRIER_FAILPOINTS="compose:after-ledger,publish:after-send"` makes the process kill
 * itself (SIGKILL: no cleanup, no last log line) when it reaches one of the points named. Unset, as in
 * production, `failpoint()` does nothing.
 *
 * Points: `ingest:after-store` (an article stored, its compose job not queued), `compose:after-ledger` (a
 * ledger entry created, its publish job not queued), `publish:after-claim` (the entry says sending, nothing
 * sent), `publish:after-send` (the platform has the post, the ledger does not know), `slot:after-take` (a
 * posting slot took a post, its publish job not queued).
 */
const armed = new Set(
  (process.env.CRIER_FAILPOINTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

export function failpoint(name: string): void {
  if (armed.size > 0 && armed.has(name)) process.kill(process.pid, 'SIGKILL');
}
