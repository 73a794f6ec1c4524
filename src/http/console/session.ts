import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisKeys } from '../../queue/keys.js';
import type { OperatorCredentials } from './auth.js';

export const SESSION_COOKIE = 'crier_session';
export const LOGIN_COOKIE = 'crier_login';
/** Set at a successful log-in: this browser logged in as this user before (signed; no session in it). */
export const KNOWN_BROWSER_COOKIE = 'crier_known';

/** A message shown once on the next page (after an action redirects). */
export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

export interface Session {
  id: string;
  user: string;
  /** The CSRF token every change made in this session must carry. */
  csrf: string;
  createdAt: number;
}

export interface SessionTimes {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after log-in, used or not. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_TIMES: SessionTimes = { idleMs: 2 * 3_600_000, absoluteMs: 12 * 3_600_000 };

const b64url = (b: Buffer) => b.toString('base64url');

/**
 * Console sessions: the cookie carries a random session id signed with HMAC-SHA256; the session itself
 * (user, CSRF token, flash) lives in Redis, so logging out ends it everywhere and every Crier process behind
 * a load balancer knows it. The signing key is a random secret kept in Redis, mixed with the operator's
 * credentials: changing the password ends every session.
 */
export class SessionStore {
  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly key: Buffer,
    readonly times: SessionTimes,
  ) {}

  static async open(
    redis: Redis,
    prefix: string,
    credentials: OperatorCredentials,
    times: SessionTimes = DEFAULT_SESSION_TIMES,
  ): Promise<SessionStore> {
    const secretKey = redisKeys(prefix).consoleSecret;
    await redis.set(secretKey, b64url(randomBytes(32)), 'NX');
    const secret = (await redis.get(secretKey)) ?? '';
    const key = createHmac('sha256', secret).update(`${credentials.user}\0${credentials.password}`).digest();
    return new SessionStore(redis, prefix, key, times);
  }

  private redisKey(id: string) {
    return redisKeys(this.prefix).consoleSession(id);
  }

  /** HMAC of a value under the session key (cookie signatures, log-in form tokens). */
  sign(value: string): string {
    return b64url(createHmac('sha256', this.key).update(value).digest());
  }

  /** The value when `signed` is `<value>.<signature>` with a valid signature, else undefined. */
  verify(signed: string | undefined): string | undefined {
    if (!signed) return undefined;
    const dot = signed.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const value = signed.slice(0, dot);
    const given = Buffer.from(signed.slice(dot + 1));
    const expected = Buffer.from(this.sign(value));
    return given.length === expected.length && timingSafeEqual(given, expected) ? value : undefined;
  }

  /** The known-browser cookie of a user: a random id signed with the user name (a new password voids it). */
  knownBrowserValue(user: string): string {
    const id = b64url(randomBytes(16));
    return `${id}.${this.sign(`known:${user}:${id}`)}`;
  }

  /** Whether a known-browser cookie was given to this user. */
  isKnownBrowser(cookie: string | undefined, user: string): boolean {
    const dot = cookie?.indexOf('.') ?? -1;
    if (!cookie || dot <= 0) return false;
    return this.verify(`known:${user}:${cookie}`) !== undefined;
  }

  cookieValue(session: Session): string {
    return `${session.id}.${this.sign(session.id)}`;
  }

  async create(user: string): Promise<Session> {
    const session: Session = {
      id: b64url(randomBytes(24)),
      user,
      csrf: b64url(randomBytes(24)),
      createdAt: Date.now(),
    };
    await this.redis.set(this.redisKey(session.id), JSON.stringify(session), 'PX', this.times.idleMs);
    return session;
  }

  /** The session a cookie names, if its signature holds and it has not ended; its idle time starts again. */
  async fromCookie(cookie: string | undefined): Promise<Session | undefined> {
    const id = this.verify(cookie);
    if (!id || !/^[A-Za-z0-9_-]{32}$/.test(id)) return undefined;
    const raw = await this.redis.get(this.redisKey(id));
    if (!raw) return undefined;
    const session = JSON.parse(raw) as Session;
    const left = session.createdAt + this.times.absoluteMs - Date.now();
    if (left <= 0) {
      await this.destroy(id);
      return undefined;
    }
    await this.redis.pexpire(this.redisKey(id), Math.min(this.times.idleMs, left));
    return session;
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.redisKey(id), `${this.redisKey(id)}:flash`);
  }

  async setFlash(id: string, flash: Flash): Promise<void> {
    await this.redis.set(`${this.redisKey(id)}:flash`, JSON.stringify(flash), 'PX', 5 * 60_000);
  }

  async takeFlash(id: string): Promise<Flash | undefined> {
    const raw = await this.redis.getdel(`${this.redisKey(id)}:flash`);
    return raw ? (JSON.parse(raw) as Flash) : undefined;
  }
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw.startsWith('"') ? raw.slice(1, -1) : raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Compares two tokens in constant time (different lengths are simply unequal). */
export function tokensEqual(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
