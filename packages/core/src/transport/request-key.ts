import { canonicalJson } from '../util/canonical-json';
import { sha256Hex } from '../util/hash';
import { isSecretParam, redactText, replaceSecrets, splitUrl } from './redact';
import type { TransportRequest } from './types';

/** The parts of a request that identify it; headers never do. */
export type KeyedRequest = Pick<TransportRequest, 'method' | 'url' | 'body'>;

/**
 * The text a request is keyed by: method, URL (userinfo and secret query params dropped, listed secrets replaced by
 * `***`, params sorted, fragment dropped) and the body (JSON: canonical with sorted keys and without JSON-RPC `id`s;
 * anything else: as is after redaction). A redacted URL gives the same text as the original it came from.
 * @example canonicalRequest({ method: 'GET', url: 'https://x.io/a?b=2&apikey=K&a=1' }) === 'GET https://x.io/a?a=1&b=2'
 */
export function canonicalRequest(request: KeyedRequest, secrets: readonly string[] = []): string {
  const head = `${request.method} ${canonicalUrl(request.url, secrets)}`;
  return request.body === undefined ? head : `${head}\n${canonicalBody(request.body, secrets)}`;
}

/**
 * sha256 (hex) of {@link canonicalRequest}: the cassette key, the dedupe key and the cache key of a request.
 * @example requestKey({ method: 'POST', url, body: '{"jsonrpc":"2.0","id":7,"method":"eth_chainId","params":[]}' })
 *   === requestKey({ method: 'POST', url, body: '{"method":"eth_chainId","params":[],"id":8,"jsonrpc":"2.0"}' })
 */
export function requestKey(request: KeyedRequest, secrets: readonly string[] = []): string {
  return sha256Hex(canonicalRequest(request, secrets));
}

function canonicalUrl(url: string, secrets: readonly string[]): string {
  const parts = splitUrl(url);
  if (parts === undefined) return redactText(url, secrets);
  const query = parts.query
    .filter(([name]) => !isSecretParam(name))
    .map(([name, value]) => [
      replaceSecrets(name, secrets),
      value === undefined ? undefined : replaceSecrets(value, secrets),
    ])
    .sort(([a, av], [b, bv]) => compare(a!, b!) || compare(av ?? '', bv ?? ''))
    .map(([name, value]) => (value === undefined ? name : `${name}=${value}`));
  const path = replaceSecrets(parts.path, secrets);
  return replaceSecrets(parts.origin, secrets) + path + (query.length > 0 ? `?${query.join('&')}` : '');
}

function canonicalBody(body: string, secrets: readonly string[]): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return redactText(body, secrets);
  }
  return redactText(canonicalJson(withoutRpcIds(parsed)), secrets);
}

// JSON-RPC ids are counters: the same call made twice gets two ids, and a recording must match either.
function withoutRpcIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRpcIds);
  if (isRpcCall(value)) {
    const { id: _id, ...rest } = value;
    return rest;
  }
  return value;
}

function isRpcCall(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  return 'jsonrpc' in o || typeof o.method === 'string';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
