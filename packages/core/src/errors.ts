/** Every failure fundflow raises carries one of these codes. Tests assert on codes, not on message text. */
export type FundflowErrorCode =
  | 'INVALID_ADDRESS'
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'BAD_RESPONSE'
  | 'HTTP_ERROR'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'AUTH_FAILED'
  | 'FIXTURE_MISSING'
  | 'FIXTURE_CORRUPT'
  | 'TRACE_INVALID'
  | 'VERIFY_FAILED'
  | 'CHECKPOINT_MISMATCH'
  | 'UNSUPPORTED'
  | 'ABORTED';

export interface FundflowErrorOptions {
  /** Facts a person can act on (a URL without secrets, an address, a cassette key). Plain JSON values only. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error class of fundflow.
 * @example
 *   throw new FundflowError('INVALID_ADDRESS', 'bc1q… is not a litecoin address', { details: { chain: 'litecoin' } })
 */
export class FundflowError extends Error {
  override readonly name = 'FundflowError';
  readonly code: FundflowErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: FundflowErrorCode, message: string, options: FundflowErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  toJSON(): { code: FundflowErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** True when `e` is a FundflowError, optionally with the given code. */
export function isFundflowError(e: unknown, code?: FundflowErrorCode): e is FundflowError {
  return e instanceof FundflowError && (code === undefined || e.code === code);
}
