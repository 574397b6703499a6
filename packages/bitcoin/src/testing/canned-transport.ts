import { createHash } from 'node:crypto';
import { FundflowError, type Transport, type TransportRequest, type TransportResponse } from '@fundflow/core';

/** A canned answer: `body` is sent as is when a string, else as JSON. */
export interface CannedResponse {
  status?: number;
  body: unknown;
  contentType?: string;
}

export type CannedRoute = CannedResponse | ((request: TransportRequest) => CannedResponse);

/**
 * Test transport over a map from URL to canned responses (real samples from ../shared/realdata, or made-up error
 * bodies). Behaves as the core contract says: non-2xx come back as responses, 2xx bodies that parse as JSON are
 * in `json`, `sha256` is the body's. An unknown URL throws FIXTURE_MISSING so a test never passes by accident.
 * Test-only: not exported from the package.
 * @example new CannedTransport({ 'https://x/api/tx/ab…': { body: txJson } })
 */
export class CannedTransport implements Transport {
  readonly requests: TransportRequest[] = [];
  readonly #routes: Map<string, CannedRoute>;

  constructor(routes: Record<string, CannedRoute> | Map<string, CannedRoute> = {}) {
    this.#routes = routes instanceof Map ? new Map(routes) : new Map(Object.entries(routes));
  }

  set(url: string, route: CannedRoute): this {
    this.#routes.set(url, route);
    return this;
  }

  get urls(): string[] {
    return this.requests.map((r) => r.url);
  }

  async request(request: TransportRequest): Promise<TransportResponse> {
    this.requests.push(request);
    // Answer asynchronously, as a network would, so coalescing and ordering bugs show up.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const route = this.#routes.get(request.url);
    if (route === undefined) {
      throw new FundflowError('FIXTURE_MISSING', `no canned response for ${request.url}`, {
        details: { url: request.url },
      });
    }
    const canned = typeof route === 'function' ? route(request) : route;
    const status = canned.status ?? 200;
    const body = typeof canned.body === 'string' ? canned.body : JSON.stringify(canned.body);
    const response: TransportResponse = {
      status,
      headers: {
        'content-type': canned.contentType ?? (typeof canned.body === 'string' ? 'text/plain' : 'application/json'),
      },
      body,
      sha256: createHash('sha256').update(body, 'utf8').digest('hex'),
    };
    if (status >= 200 && status < 300 && request.expect !== 'text') {
      try {
        response.json = JSON.parse(body);
      } catch {
        // Left unset: the source must notice a 2xx body that is not JSON.
      }
    }
    return response;
  }

  stats() {
    return { sent: this.requests.length, retries: 0, rateLimited: 0, cacheHits: 0, dedupeHits: 0 };
  }
}
