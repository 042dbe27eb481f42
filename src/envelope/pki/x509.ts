/**
 * The one place @peculiar/x509 is loaded: it needs a Reflect polyfill before it is imported and
 * Node's WebCrypto as its provider.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
export const subtle = webcrypto.subtle;
export type WebKey = webcrypto.CryptoKey;
export type WebKeyPair = webcrypto.CryptoKeyPair;
