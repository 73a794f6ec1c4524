import { readFileSync } from 'node:fs';
import { inject } from 'vitest';

/** The certificate the fakes serve; test workers already trust it through NODE_EXTRA_CA_CERTS. */
export function fakeTls(): { cert: string; key: string; certPath: string } {
  const certPath = inject('certPath');
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(inject('keyPath'), 'utf8'), certPath };
}
