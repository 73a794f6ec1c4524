import type { ChainableCommander, Redis } from 'ioredis';

type Arg = string | number;
type ScriptFn = (...args: Arg[]) => Promise<unknown>;

/**
 * A Lua script sent whole once per connection, then called by its SHA (EVALSHA): ioredis's defineCommand,
 * which also sends it again by itself after a NOSCRIPT (a restarted Redis, a failover to a replica).
 * `run` calls it alone; `queue` adds it to a pipeline or MULTI block of a client it was defined on.
 */
export class LuaScript {
  readonly name: string;

  constructor(
    name: string,
    readonly lua: string,
    readonly keys: number,
  ) {
    this.name = `crier_${name}`;
  }

  /** Defines the script on the client (once); pipelines made from the client afterwards know it too. */
  define(redis: Redis): void {
    const defined = (redis as unknown as { scriptsSet?: Record<string, unknown> }).scriptsSet;
    if (defined && !(this.name in defined))
      redis.defineCommand(this.name, { lua: this.lua, numberOfKeys: this.keys });
  }

  run(redis: Redis, ...args: Arg[]): Promise<unknown> {
    this.define(redis);
    const fn = (redis as unknown as Record<string, ScriptFn>)[this.name];
    // A stand-in client without defineCommand (none in Crier itself) still gets the script, by EVAL.
    return fn ? fn.apply(redis, args) : redis.eval(this.lua, this.keys, ...args);
  }

  /** Adds the call to a pipeline of a client the script was defined on (`define`) before the pipeline was made. */
  queue(pipeline: ChainableCommander, ...args: Arg[]): void {
    const fn = (pipeline as unknown as Record<string, (...a: Arg[]) => unknown>)[this.name];
    if (fn) fn.apply(pipeline, args);
    else pipeline.eval(this.lua, this.keys, ...args);
  }
}
