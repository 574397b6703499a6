/**
 * Test-only: a Transport that plays an EVM node's JSON-RPC from in-memory handlers. Each answer carries a different
 * `id` from the request's (as a replayed cassette may), HTML/garbage bodies and HTTP errors can be canned, and every
 * request is logged. An unknown method answers -32601 "Method not found", as nodes do.
 */
import { createHash } from 'node:crypto';
import type { Transport, TransportRequest, TransportResponse, TransportStats } from '@fundflow/core';

export type RpcHandler = (params: unknown[]) => unknown;

/** Thrown by a handler to answer a JSON-RPC error. */
export class RpcFail {
  constructor(
    readonly code: number,
    readonly message: string,
  ) {}
}

/** Thrown by a handler to answer a raw HTTP body. */
export class RawAnswer {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType = 'text/html',
  ) {}
}

export class FakeNode implements Transport {
  readonly calls: { method: string; params: unknown[]; immutable: boolean }[] = [];
  readonly handlers: Record<string, RpcHandler>;

  constructor(handlers: Record<string, RpcHandler> = {}) {
    this.handlers = { ...handlers };
  }

  methods(): string[] {
    return this.calls.map((c) => c.method);
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  async request(request: TransportRequest): Promise<TransportResponse> {
    await new Promise((r) => setTimeout(r, 0));
    const payload = JSON.parse(request.body ?? '{}') as { id: number; method: string; params: unknown[] };
    this.calls.push({ method: payload.method, params: payload.params, immutable: request.immutable === true });
    const handler = this.handlers[payload.method];
    let status = 200;
    let body: string;
    let contentType = 'application/json';
    try {
      if (handler === undefined) throw new RpcFail(-32601, 'Method not found');
      const result = handler(payload.params);
      body = JSON.stringify({ jsonrpc: '2.0', id: payload.id + 1000, result: result === undefined ? null : result });
    } catch (e) {
      if (e instanceof RpcFail) {
        body = JSON.stringify({ jsonrpc: '2.0', id: payload.id + 1000, error: { code: e.code, message: e.message } });
      } else if (e instanceof RawAnswer) {
        status = e.status;
        body = e.body;
        contentType = e.contentType;
      } else throw e;
    }
    const response: TransportResponse = {
      status,
      headers: { 'content-type': contentType },
      body,
      sha256: createHash('sha256').update(body, 'utf8').digest('hex'),
    };
    if (status >= 200 && status < 300) {
      try {
        response.json = JSON.parse(body);
      } catch {
        // not JSON: left undefined, as the core transports do
      }
    }
    return response;
  }

  stats(): TransportStats {
    return { sent: this.calls.length, retries: 0, rateLimited: 0, cacheHits: 0, dedupeHits: 0 };
  }
}

export const hex = (n: number | bigint): string => `0x${n.toString(16)}`;
