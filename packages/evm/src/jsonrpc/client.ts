import {
  bodyExcerpt,
  FundflowError,
  type FundflowErrorCode,
  redactText,
  redactUrl,
  requestSecrets,
  type Transport,
  type TransportResponse,
} from '@fundflow/core';
import type { JsonRpcError, JsonRpcPayload, JsonRpcResult } from 'ethers';

export interface JsonRpcClientOptions {
  /** Node endpoint; may carry an API key (query param, userinfo or path segment): it never leaves in a message. */
  url: string;
  transport: Transport;
  /** Secrets inside the URL the redaction cannot recognise by itself (see {@link endpointSecrets}). */
  secrets?: readonly string[];
  /** Extra HTTP headers (e.g. an `authorization` header; never recorded in cassettes). */
  headers?: Record<string, string>;
}

/** One answer with the sha256 of the response body it came from (a transfer's evidence). */
export interface RpcAnswer<T = unknown> {
  result: T;
  sha256: string;
}

export interface RpcCallOptions {
  /** The answer can never change (a mined transaction's receipt or trace): the transport may cache it forever. */
  immutable?: boolean;
}

/** What a FundflowError from a JSON-RPC error answer carries in `details`. */
export interface RpcErrorDetails {
  endpoint: string;
  method: string;
  rpcCode?: number;
  rpcMessage?: string;
  status?: number;
  /** sha256 of the error answer's body. */
  sha256?: string;
}

const METHOD_NOT_FOUND =
  /method not found|does not exist|is not available|not supported|unsupported method|unknown method|not whitelisted|method .* not allowed|namespace .* disabled/i;

/**
 * A thin JSON-RPC 2.0 client on ethers' payload types. Every call is one HTTP POST through the core `Transport` (so
 * rate limiting, retries, caching, recording and replay apply) and resolves to the result and the sha256 of the body.
 * The answer's `id` is not checked: cassettes are keyed without it. Errors are typed FundflowErrors whose messages
 * and details never contain a secret of the endpoint:
 * - JSON-RPC `-32601` / "method not found" → `UNSUPPORTED`;
 * - `-32602` / `-32600` (invalid params / request) → `INVALID_ARGUMENT`;
 * - any other JSON-RPC error, a non-JSON (HTML) body or a body that is not a JSON-RPC answer → `BAD_RESPONSE`;
 * - HTTP 401/403 → `AUTH_FAILED`, 429 → `RATE_LIMITED`, other non-2xx → `HTTP_ERROR`.
 * @example const { result, sha256 } = await client.call('eth_blockNumber', [])
 */
export class JsonRpcClient {
  /** The URL with credentials removed: fit for trace files and messages. */
  readonly endpoint: string;
  readonly #url: string;
  readonly #transport: Transport;
  readonly #secrets: string[];
  readonly #headers: Record<string, string>;

  constructor(options: JsonRpcClientOptions) {
    this.#url = options.url;
    this.#transport = options.transport;
    this.#headers = { 'content-type': 'application/json', ...(options.headers ?? {}) };
    this.#secrets = requestSecrets({ url: options.url, headers: this.#headers }, [
      ...endpointSecrets(options.url),
      ...(options.secrets ?? []),
    ]);
    this.endpoint = redactUrl(options.url, this.#secrets);
  }

  /** The secrets this client scrubs (for a `recording`/`replaying` transport over the same endpoint). */
  get secrets(): readonly string[] {
    return this.#secrets;
  }

  /**
   * Calls `method` and resolves to its result (any JSON, `null` included) and the body's sha256.
   * @example await client.call('eth_getTransactionReceipt', [hash], { immutable: true })
   */
  async call<T = unknown>(
    method: string,
    params: readonly unknown[],
    options: RpcCallOptions = {},
  ): Promise<RpcAnswer<T>> {
    // One call per HTTP request (no batches), so the id is always 1: the same call is the same request body, which
    // lets the transport share in-flight calls and cache immutable answers, and makes a recorded answer (its body
    // and sha256, the transfers' evidence) the same however often and in whatever order the trace asks.
    const payload: JsonRpcPayload = { jsonrpc: '2.0', id: 1, method, params: [...params] };
    const response = await this.#transport.request({
      method: 'POST',
      url: this.#url,
      headers: this.#headers,
      body: JSON.stringify(payload),
      expect: 'json',
      ...(options.immutable ? { immutable: true } : {}),
    });
    return { result: this.#result(method, response) as T, sha256: response.sha256 };
  }

  /** Redacts this endpoint's secrets from a text. */
  redact(text: string): string {
    return redactText(text, this.#secrets);
  }

  #result(method: string, res: TransportResponse): unknown {
    const base = { endpoint: this.endpoint, method, status: res.status };
    let json = res.json;
    if (json === undefined) {
      try {
        json = JSON.parse(res.body);
      } catch {
        json = undefined;
      }
    }
    const answer = asRpcAnswer(json);
    if (answer !== undefined && 'error' in answer && answer.error != null) {
      return this.#throwRpcError(method, answer.error, res.status, res.sha256);
    }
    if (res.status < 200 || res.status >= 300) {
      const code: FundflowErrorCode =
        res.status === 401 || res.status === 403 ? 'AUTH_FAILED' : res.status === 429 ? 'RATE_LIMITED' : 'HTTP_ERROR';
      const excerpt = this.redact(bodyExcerpt(res.body));
      throw new FundflowError(code, `${method} at ${this.endpoint}: HTTP ${res.status} ${excerpt || '(empty body)'}`, {
        details: { ...base, body: excerpt },
      });
    }
    if (answer === undefined || !('result' in answer)) {
      const excerpt = this.redact(bodyExcerpt(res.body));
      const what = json === undefined ? 'a body that is not JSON' : 'JSON that is not a JSON-RPC answer';
      throw new FundflowError('BAD_RESPONSE', `${method} at ${this.endpoint}: the node answered ${what}: ${excerpt}`, {
        details: { ...base, body: excerpt },
      });
    }
    return answer.result;
  }

  #throwRpcError(method: string, error: JsonRpcError['error'], status: number, sha256: string): never {
    const rpcCode = typeof error.code === 'number' ? error.code : undefined;
    const rpcMessage = this.redact(String(error.message ?? '')).slice(0, 500);
    const details: RpcErrorDetails = {
      endpoint: this.endpoint,
      method,
      ...(rpcCode !== undefined ? { rpcCode } : {}),
      rpcMessage,
      status,
      sha256,
    };
    let code: FundflowErrorCode = 'BAD_RESPONSE';
    let hint = '';
    if (rpcCode === -32601 || METHOD_NOT_FOUND.test(rpcMessage)) {
      code = 'UNSUPPORTED';
      hint = `: the node does not offer ${method}`;
    } else if (rpcCode === -32602 || rpcCode === -32600) {
      code = 'INVALID_ARGUMENT';
      hint = ': the node rejected the parameters';
    } else if (status === 429 || /rate limit|too many requests/i.test(rpcMessage)) {
      code = 'RATE_LIMITED';
    }
    throw new FundflowError(code, `${method} at ${this.endpoint} failed${hint} (${rpcCode ?? '?'}: ${rpcMessage})`, {
      details: { ...details },
    });
  }
}

function asRpcAnswer(json: unknown): JsonRpcResult | JsonRpcError | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  if ('error' in o && o.error !== null && typeof o.error === 'object') return o as unknown as JsonRpcError;
  if ('result' in o) return o as unknown as JsonRpcResult;
  return undefined;
}

/**
 * Path segments of an endpoint that look like API keys (16+ characters of letters, digits, `-`/`_` with at least one
 * digit), as in `https://mainnet.infura.io/v3/<key>` or `https://eth-mainnet.g.alchemy.com/v2/<key>`.
 * @example endpointSecrets('https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161') // ['9aa3d95b3bc440fa88ea12eaa4456161']
 */
export function endpointSecrets(url: string): string[] {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(url);
  if (m === null) return [];
  return (m[1] ?? '').split('/').filter((s) => s.length >= 16 && /^[A-Za-z0-9_-]+$/.test(s) && /\d/.test(s));
}

/** The JSON-RPC details of a FundflowError raised by {@link JsonRpcClient}, if it is one. */
export function rpcErrorDetails(error: unknown): RpcErrorDetails | undefined {
  if (!(error instanceof FundflowError)) return undefined;
  const d = error.details as Partial<RpcErrorDetails>;
  return typeof d.method === 'string' && typeof d.rpcMessage === 'string' ? (d as RpcErrorDetails) : undefined;
}
