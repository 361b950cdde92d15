import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';

/**
 * Why a listener's TLS key and certificate cannot be used together, or undefined when they can.
 * Checked when gateway.yaml is loaded: found only at listen, the error was OpenSSL's alone
 * (`error:1E08010C:DECODER routines::unsupported`), naming no file, after the spool was made.
 */
export function tlsPairProblem(keyFile: string, certFile: string): string | undefined {
  const key = readFileSync(keyFile);
  const cert = readFileSync(certFile);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    return `key ${keyFile} is not a PEM private key without a passphrase (${(err as Error).message})`;
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    return `cert ${certFile} is not a PEM certificate (${(err as Error).message})`;
  }
  if (!x509.checkPrivateKey(privateKey)) return `key ${keyFile} is not the key of cert ${certFile} (a key and certificate of different pairs)`;
  try {
    createSecureContext({ key, cert, minVersion: 'TLSv1.2' });
  } catch (err) {
    return `key ${keyFile} and cert ${certFile} cannot be used for TLS (${(err as Error).message})`;
  }
  return undefined;
}
