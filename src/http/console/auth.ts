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
  /** Failed log-ins from one address within `windowMs` before that address is locked out. */
  perAddress: number;
  /** Failed log-ins for one user name, from anywhere, within `windowMs` before the name is locked out. */
  perUser: number;
  windowMs: number;
}

// KEYS[1] counter; ARGV[1] window ms. The window starts at the first failure: later ones do not extend it.
const COUNT_FAILURE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;

export const DEFAULT_THROTTLE: ThrottleLimits = { perAddress: 5, perUser: 20, windowMs: 15 * 60_000 };

/**
 * Lock-out after repeated failed log-ins, shared by every Crier process through Redis. An address that failed
 * `perAddress` times within the window is refused until the window ends; a user name that failed `perUser`
 * times (a guessing attack spread over many addresses) likewise. A successful log-in clears its address.
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

  /** Milliseconds until this address or user may try again; 0 when not locked out. */
  async lockedFor(ip: string, user: string): Promise<number> {
    const [a, u] = await Promise.all([this.count(this.addressKey(ip)), this.count(this.userKey(user))]);
    let wait = 0;
    if (a.n >= this.limits.perAddress) wait = Math.max(wait, a.ttl);
    if (u.n >= this.limits.perUser) wait = Math.max(wait, u.ttl);
    return wait;
  }

  async failed(ip: string, user: string): Promise<void> {
    for (const key of [this.addressKey(ip), this.userKey(user)]) {
      await this.redis.eval(COUNT_FAILURE, 1, key, this.limits.windowMs);
    }
  }

  async succeeded(ip: string): Promise<void> {
    await this.redis.del(this.addressKey(ip));
  }

  private async count(key: string): Promise<{ n: number; ttl: number }> {
    const [n, ttl] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
    return { n: Number(n ?? 0), ttl: Math.max(0, ttl) };
  }
}
