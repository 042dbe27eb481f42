/**
 * An undici interceptor that puts a fresh `X-ZT` token on every request a sidecar originates:
 * `new Agent(...).compose(zeroTrustInterceptor(signer))`. The audience is the request's host.
 */
import type { Dispatcher } from 'undici';
import { ZT_HEADER } from './claims.js';
import type { TokenSigner } from './sign.js';

type Headers = Record<string, string | string[]>;

/** undici accepts headers as an object, a flat array or an iterable of pairs; tokens need one shape. */
function headersObject(h: Dispatcher.DispatchOptions['headers']): Headers {
  const out: Headers = {};
  if (!h) return out;
  if (Array.isArray(h)) {
    for (let i = 0; i + 1 < h.length; i += 2) out[String(h[i]).toLowerCase()] = String(h[i + 1]);
    return out;
  }
  const entries = Symbol.iterator in (h as object) ? [...(h as Iterable<[string, string | string[] | undefined]>)] : Object.entries(h as Record<string, string | string[] | undefined>);
  for (const [k, v] of entries) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

/**
 * `audience` names the receiver when the dispatcher does not pass an origin (a bare `Client`);
 * with neither, the request fails rather than leave without its token.
 */
export function zeroTrustInterceptor(signer: TokenSigner, options: { audience?: string } = {}): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    const origin = typeof opts.origin === 'string' ? new URL(opts.origin) : opts.origin;
    const audience = options.audience ?? origin?.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!audience) {
      handler.onResponseError?.(null as unknown as Dispatcher.DispatchController, new Error('zero-trust token: no audience (pass { audience })'));
      return true;
    }
    signer
      .mint({ audience, method: opts.method, path: opts.path })
      .then((token) => {
        const headers = headersObject(opts.headers);
        headers[ZT_HEADER] = token; // replaces any token the caller set: only the sidecar mints
        dispatch({ ...opts, headers }, handler);
      })
      .catch((err: Error) => handler.onResponseError?.(null as unknown as Dispatcher.DispatchController, err));
    return true;
  };
}
