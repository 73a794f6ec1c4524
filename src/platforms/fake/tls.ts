import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface TlsFiles {
  /** PEM of the self-signed certificate; pass its path in NODE_EXTRA_CA_CERTS to trust it. */
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
}

/**
 * A self-signed certificate for 127.0.0.1 / localhost / ::1, written to `dir` (reused when present).
 * Processes that talk to the fakes trust it through NODE_EXTRA_CA_CERTS=<certPath>.
 */
export async function ensureTestCertificate(dir: string): Promise<TlsFiles> {
  mkdirSync(dir, { recursive: true });
  const certPath = join(dir, 'fake-platforms.cert.pem');
  const keyPath = join(dir, 'fake-platforms.key.pem');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      notAfterDate: new Date(Date.now() + 3650 * 86_400_000),
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
          ],
        },
      ],
    });
    writeFileSync(certPath, pems.cert);
    writeFileSync(keyPath, pems.private, { mode: 0o600 });
  }
  return { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}
