import type { Transport } from '@fundflow/core';
import { FetchRequest, type GetUrlResponse, JsonRpcProvider, Network, toUtf8Bytes, toUtf8String } from 'ethers';

export interface TransportFetchOptions {
  /**
   * Which JSON-RPC calls have answers that never change (the transport may cache them forever). Default: none.
   * @example (method, params) => method === 'eth_getTransactionReceipt'
   */
  immutable?: (method: string, params: readonly unknown[]) => boolean;
}

/**
 * An ethers `FetchRequest` for `url` whose HTTP goes through a core `Transport` (rate limit, retries, cache,
 * recording, replay), with ethers' own retries off (one attempt, no 429 throttle, no retry hook): the retry policy
 * lives in the transport. The answer's JSON-RPC `id` is rewritten to the request's, because cassettes are keyed
 * without ids and a replayed answer may carry the id of the recording.
 * @example new JsonRpcProvider(transportFetchRequest(url, transport), 1, { staticNetwork: true, batchMaxCount: 1 })
 */
export function transportFetchRequest(
  url: string,
  transport: Transport,
  options: TransportFetchOptions = {},
): FetchRequest {
  const request = new FetchRequest(url);
  request.setThrottleParams({ maxAttempts: 1 });
  request.retryFunc = async () => false;
  request.getUrlFunc = async (req: FetchRequest): Promise<GetUrlResponse> => {
    const body = req.body === null ? undefined : toUtf8String(req.body);
    const payload = parseJson(body);
    const immutable = body !== undefined && isImmutable(payload, options.immutable);
    const res = await transport.request({
      method: req.method === 'GET' ? 'GET' : 'POST',
      url: req.url,
      headers: { ...req.headers },
      ...(body !== undefined ? { body } : {}),
      expect: 'json',
      ...(immutable ? { immutable: true } : {}),
    });
    return {
      statusCode: res.status,
      statusMessage: '',
      headers: res.headers,
      body: toUtf8Bytes(rewriteRpcIds(payload, res.body)),
    };
  };
  return request;
}

/**
 * An ethers `JsonRpcProvider` over a core `Transport`: static network (no `eth_chainId` probe), no batching
 * (`batchMaxCount: 1`, so every call is its own recorded request), no ethers retries.
 * @example const provider = transportJsonRpcProvider('http://127.0.0.1:8545', http(), 31337)
 */
export function transportJsonRpcProvider(
  url: string,
  transport: Transport,
  chainId: number,
  options: TransportFetchOptions = {},
): JsonRpcProvider {
  return new JsonRpcProvider(transportFetchRequest(url, transport, options), Network.from(chainId), {
    staticNetwork: true,
    batchMaxCount: 1,
  });
}

/**
 * A JSON-RPC answer body with its `id`(s) set to the request's: for a single call the id of the request, for a batch
 * each answer gets the id of the request at the same position. Bodies that are not JSON-RPC answers pass unchanged.
 */
export function rewriteRpcIds(request: unknown, responseBody: string): string {
  const answer = parseJson(responseBody);
  if (answer === undefined) return responseBody;
  if (Array.isArray(request) && Array.isArray(answer)) {
    if (request.length !== answer.length) return responseBody;
    return JSON.stringify(answer.map((a, i) => withId(a, (request[i] as { id?: unknown } | undefined)?.id)));
  }
  if (isObject(request) && isObject(answer) && 'id' in request) return JSON.stringify(withId(answer, request.id));
  return responseBody;
}

function withId(answer: unknown, id: unknown): unknown {
  return isObject(answer) && id !== undefined ? { ...answer, id } : answer;
}

function isImmutable(payload: unknown, test: TransportFetchOptions['immutable']): boolean {
  if (test === undefined) return false;
  const calls = Array.isArray(payload) ? payload : [payload];
  return (
    calls.length > 0 &&
    calls.every(
      (c) => isObject(c) && typeof c.method === 'string' && test(c.method, Array.isArray(c.params) ? c.params : []),
    )
  );
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
