/** Key pairs for the CA and workloads, and their PEM (PKCS#8 / SPKI) forms. */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { KeyAlgorithm } from '../config/load.js';
import { subtle, type WebKey, type WebKeyPair } from './x509.js';

/** The WebCrypto parameters of each algorithm ESQ issues keys for. */
export function keyParams(alg: KeyAlgorithm): { name: string; namedCurve?: string; hash?: string } {
  return alg === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
}

export async function generateKeyPair(alg: KeyAlgorithm): Promise<WebKeyPair> {
  return (await subtle.generateKey(keyParams(alg) as Parameters<typeof subtle.generateKey>[0], true, ['sign', 'verify'])) as WebKeyPair;
}

export async function privateKeyPem(key: WebKey): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** Imports a PKCS#8 PEM private key for signing (certificates, CRLs). */
export async function importSigningKey(pem: string, alg: KeyAlgorithm): Promise<WebKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return subtle.importKey('pkcs8', der, keyParams(alg) as Parameters<typeof subtle.importKey>[2], false, ['sign']);
}

/** The algorithm of a PEM private key, as ESQ names it. */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ECDSA-P256';
  return undefined;
}

export async function publicKeyObject(key: WebKey): Promise<KeyObject> {
  return createPublicKey({ key: Buffer.from(await subtle.exportKey('spki', key)), format: 'der', type: 'spki' });
}
