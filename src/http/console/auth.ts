import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisKeys } from '../../queue/keys.js';
import { safeEqual } from '../basic-auth.js';

export const OPERATOR_USER_VAR = 'CRIER_OPERATOR_USER';
export const OPERATOR_PASSWORD_VAR = 'CRIER_OPERATOR_PASSWORD';

export interface OperatorCredentials {
  user: string;
  password: string;
}

/** The console's credentials, or undefined when either variable is unset or empty (the console is refused). */
export function operatorCredentials(
  env: Record<string, string | undefined>,
): OperatorCredentials | undefined {
  const user = env[OPERATOR_USER_VAR];
  const password = env[OPERATOR_PASSWORD_VAR];
  return user && password ? { user, password } : undefined;
}

/** Both comparisons always run, so the time taken does not tell whether the user name was right. */
export function credentialsMatch(expected: OperatorCredentials, user: string, password: string): boolean {
  const userOk = safeEqual(user, expected.user);
  const passwordOk = safeEqual(password, expected.password);
  return userOk && passwordOk;
}

export interface ThrottleLimits {
  /** Log-in attempts (a successful one not counted) from one address within `windowMs` before it is locked out. */
  perAddress: number;
  /** Attempts (a successful one not counted) for one user name, from anywhere, within `windowMs` before it is locked out. */
  perUser: number;
  windowMs: number;
}

// KEYS[1] address counter, KEYS[2] user counter; ARGV[1] window ms, ARGV[2] per address, ARGV[3] per user,
// ARGV[4] "1" when the user counter does not apply (a browser that logged in before). Refuses (the wait in ms)
// when a counter is at its limit; else counts the attempt, atomically, so guesses sent all at once are counted
// before any password is compared. A window starts at its first attempt: later ones do not extend it.
const TAKE_ATTEMPT = `
local wait = 0
local limits = { tonumber(ARGV[2]), tonumber(ARGV[3]) }
local n = ARGV[4] == '1' and 1 or 2
for i = 1, n do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= limits[i] then
    wait = math.max(wait, redis.call('PTTL', KEYS[i]), 1)
  end
end
if wait > 0 then return wait end
for i = 1, n do
  local n = redis.call('INCR', KEYS[i])
  if n == 1 or redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
end
return 0
`;

// KEYS[1] address counter, KEYS[2] user counter: a successful log-in clears its address and gives its attempt
// back to the user name.
const GIVE_BACK = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 0
`;

export const DEFAULT_THROTTLE: ThrottleLimits = { perAddress: 5, perUser: 20, windowMs: 15 * 60_000 };

/**
 * Lock-out after repeated failed log-ins, shared by every Crier process through Redis. An address that failed
 * `perAddress` times within the window is refused until the window ends; a user name that failed `perUser`
 * times (a guessing attack spread over many addresses) likewise, except in a browser that logged in as that user
 * before (its signed cookie, KNOWN_BROWSER_COOKIE): an attacker cannot keep the editor out for good. A
 * successful log-in clears its address.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
  ) {}

  private addressKey(ip: string) {
    return redisKeys(this.prefix).consoleLoginFailures('ip', ip);
  }

  private userKey(user: string) {
    const h = createHash('sha256').update(user).digest('hex').slice(0, 24);
    return redisKeys(this.prefix).consoleLoginFailures('user', h);
  }

  /**
   * Takes one log-in attempt for this address and user name: the milliseconds until they may try again when
   * either is locked out (nothing counted), else 0 and the attempt counted. Counting before the password is
   * compared, in one Redis script, bounds guesses sent all at once as it bounds guesses sent one by one.
   * `knownBrowser`: a browser this user logged in from before is held to the address limit only, so guesses
   * spread over many addresses cannot keep the editor out.
   */
  async attempt(ip: string, user: string, opts: { knownBrowser?: boolean } = {}): Promise<number> {
    const wait = await this.redis.eval(
      TAKE_ATTEMPT,
      2,
      this.addressKey(ip),
      this.userKey(user),
      this.limits.windowMs,
      this.limits.perAddress,
      this.limits.perUser,
      opts.knownBrowser ? '1' : '0',
    );
    return Number(wait);
  }

  /** A successful log-in: its address starts afresh, and its attempt no longer counts against the user name. */
  async succeeded(ip: string, user: string): Promise<void> {
    await this.redis.eval(GIVE_BACK, 2, this.addressKey(ip), this.userKey(user));
  }
}
