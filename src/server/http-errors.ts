/**
 * The one place EsqError codes become HTTP statuses. Every error body is
 * `{ error: { code, message, details? } }` with a stable code.
 */
import { EsqError, PolicyLoadError } from '../errors.js';

export type HttpErrorCode =
  | 'ESQ_UNAUTHENTICATED'
  | 'ESQ_FORBIDDEN'
  | 'ESQ_RATE_LIMITED'
  | 'ESQ_NOT_FOUND'
  | 'ESQ_BAD_REQUEST'
  | 'ESQ_PAYLOAD_TOO_LARGE'
  | 'ESQ_UNSUPPORTED_MEDIA_TYPE'
  | 'ESQ_UNAVAILABLE'
  | 'ESQ_INTERNAL';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode | string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const STATUS: Record<string, number> = {
  ESQ_INVALID_ACTION: 400,
  ESQ_INVALID_INPUT: 400,
  ESQ_POLICY_LOAD: 500,
  ESQ_PACK_NOT_FOUND: 404,
  ESQ_CONFIG: 500,
  ESQ_BUDGET_EXCEEDED: 402,
  // Budgets fail closed and fail-closed rate limits refuse while their shared store is unreachable.
  ESQ_BUDGET_UNAVAILABLE: 503,
  ESQ_RATE_LIMIT_UNAVAILABLE: 503,
};

/** The framework's own 4xx codes (FST_ERR_…) are its internals: clients see ours. */
const CLIENT_ERROR_CODES: Record<number, HttpErrorCode> = { 413: 'ESQ_PAYLOAD_TOO_LARGE', 415: 'ESQ_UNSUPPORTED_MEDIA_TYPE' };

export function toHttp(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof EsqError) {
    const details = err instanceof PolicyLoadError ? err.problems : 'problems' in err ? (err as { problems: unknown }).problems : undefined;
    return new HttpError(STATUS[err.code] ?? 400, err.code, err.message, details);
  }
  const e = err as { statusCode?: number; validation?: unknown; message?: string; code?: string };
  if (e?.validation) return new HttpError(400, 'ESQ_BAD_REQUEST', e.message ?? 'invalid request', e.validation);
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    const code = e.code?.startsWith('ESQ_') ? e.code : (CLIENT_ERROR_CODES[e.statusCode] ?? 'ESQ_BAD_REQUEST');
    return new HttpError(e.statusCode, code, e.message ?? 'bad request');
  }
  return new HttpError(500, 'ESQ_INTERNAL', 'internal error');
}
