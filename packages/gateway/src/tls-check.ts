import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';

/** One thing wrong with a listener's TLS files: `at` the key or cert that names the file, or the pair. */
export interface TlsProblem {
  at: 'key' | 'cert' | 'pair';
  problem: string;
}

// What a PEM file reads as, or why it does not (node's errors are not `instanceof Error` in
// every realm, so the outcome says which it is).
type Read<T> = { value: T } | { error: string };

const read = <T>(make: () => T): Read<T> => {
  try {
    return { value: make() };
  } catch (err) {
    return { error: (err as Error).message };
  }
};

/**
 * Why a listener's TLS key and certificate cannot be used together; empty when they can.
 * Checked when gateway.yaml is loaded: found only at listen, the error was OpenSSL's alone
 * (`error:1E08010C:DECODER routines::unsupported`), naming no file, after the spool was made.
 * The key and the cert are judged each on its own, so key and cert given the wrong way round
 * are both told, each as what it is.
 */
export function tlsPairProblems(keyFile: string, certFile: string): TlsProblem[] {
  const key = readFileSync(keyFile);
  const cert = readFileSync(certFile);
  const privateKey = read<KeyObject>(() => createPrivateKey(key));
  const x509 = read(() => new X509Certificate(cert));
  // The other one's kind, for a file in the wrong place.
  const keyIsCert = 'error' in privateKey && 'value' in read(() => new X509Certificate(key));
  const certIsKey = 'error' in x509 && 'value' in read(() => createPrivateKey(cert));
  const swapped = keyIsCert && certIsKey;
  const problems: TlsProblem[] = [];
  if (keyIsCert) {
    problems.push({ at: 'key', problem: `${keyFile} is a certificate, not a private key: ${swapped ? 'did you swap key and cert?' : 'give the PEM private key of the certificate here'}` });
  } else if ('error' in privateKey) {
    problems.push({ at: 'key', problem: `${keyFile} is not a PEM private key without a passphrase (${privateKey.error})` });
  }
  if (certIsKey) {
    problems.push({ at: 'cert', problem: `${certFile} is a private key, not a certificate: ${swapped ? 'did you swap key and cert?' : 'give the PEM certificate of the key here'}` });
  } else if ('error' in x509) {
    problems.push({ at: 'cert', problem: `${certFile} is not a PEM certificate (${x509.error})` });
  }
  if ('error' in privateKey || 'error' in x509) return problems;
  if (!x509.value.checkPrivateKey(privateKey.value)) return [{ at: 'pair', problem: `key ${keyFile} is not the key of cert ${certFile} (a key and certificate of different pairs)` }];
  try {
    createSecureContext({ key, cert, minVersion: 'TLSv1.2' });
  } catch (err) {
    return [{ at: 'pair', problem: `key ${keyFile} and cert ${certFile} cannot be used for TLS (${(err as Error).message})` }];
  }
  return [];
}
