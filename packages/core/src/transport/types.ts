/** A request as sources make it. Transports add rate limiting, retries, caching, recording or replay. */
export interface TransportRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** `json` (default): a 2xx body must parse as JSON (HTML is retried); `text`: the body is returned as is. */
  expect?: 'json' | 'text';
  /** The answer can never change (a confirmed transaction): it may be cached for the life of the transport. */
  immutable?: boolean;
}

/**
 * A response. Non-2xx statuses that retrying cannot fix (400, 401, 403, 404, …) are returned, not thrown, so a source
 * can turn them into typed errors and a cassette can replay them. `json` is set for 2xx responses to `expect: 'json'`.
 */
export interface TransportResponse {
  status: number;
  /** Lower-cased names; only content-type, retry-after and x-ratelimit-* are kept. */
  headers: Record<string, string>;
  body: string;
  /** sha256 (hex) of `body` as UTF-8: the provenance id of everything read from this response. */
  sha256: string;
  json?: unknown;
}

export interface TransportStats {
  /** Requests that reached the network (each retry counts). */
  sent: number;
  retries: number;
  rateLimited: number;
  cacheHits: number;
  dedupeHits: number;
}

export interface Transport {
  request(request: TransportRequest, signal?: AbortSignal): Promise<TransportResponse>;
  /**
   * The answer at once, for transports that hold every answer already (a replay): the same response or error as
   * `request`, without a promise. Absent on transports that have to wait.
   */
  requestNow?(request: TransportRequest): TransportResponse;
  /** Counters since creation (network transports; wrappers pass through their inner transport's). */
  stats(): TransportStats;
}
