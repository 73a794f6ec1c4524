/** The process environment as Crier reads it (variables may be unset). */
export type Env = Record<string, string | undefined>;

/**
 * The values of `names` (each read as `prefix + name`, trimmed), and the full names of those unset or empty.
 * An account's `envPrefix` selects its own set of variables ("SPORTS_" reads SPORTS_TWITTER_API_KEY).
 */
export function pickVariables(
  env: Env,
  prefix: string,
  names: readonly string[],
): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const n of names) {
    const v = env[prefix + n]?.trim();
    if (v) values[n] = v;
    else missing.push(prefix + n);
  }
  return { values, missing };
}

/** One optional variable, trimmed; undefined when unset or empty. */
export function optionalVariable(env: Env, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}
