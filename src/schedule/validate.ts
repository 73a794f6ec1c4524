import cron from 'node-cron';

/** node-cron accepts any zone string and fails later: check zones with Intl instead. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function isValidCron(expr: string): boolean {
  return cron.validate(expr);
}
