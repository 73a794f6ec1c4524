import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Where the evaluation corpus is: the first argument, else CRIER_CORPUS, else ../shared/corpus beside the
 * clone. The corpus (public third-party test sets, see its INDEX.md) is never copied into the repository, so
 * a clone without it gets one line saying how to get it, and exit code 2.
 */
export function corpusRootOrExit(command: string, arg?: string): string {
  const root = resolve(arg ?? process.env.CRIER_CORPUS ?? resolve(process.cwd(), '../shared/corpus'));
  if (!existsSync(root)) {
    console.error(
      `${command}: no evaluation corpus at ${root}: place the project's corpus there (../shared/corpus beside the clone), set CRIER_CORPUS or pass its folder (${command} -- /path/to/corpus); CONTRIBUTING.md says where to get it`,
    );
    process.exit(2);
  }
  return root;
}
