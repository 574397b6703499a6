import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../util/hash';
import { redactText, redactUrl } from './redact';
import { canonicalRequest, requestKey } from './request-key';

const url = 'https://rpc.example/v2/PATHKEY12345';

describe('canonicalRequest', () => {
  it('sorts query params and drops secret ones and the fragment', () => {
    expect(canonicalRequest({ method: 'GET', url: 'https://X.io/a?z=1&apikey=K&b=2&b=1#f' })).toBe(
      'GET https://x.io/a?b=1&b=2&z=1',
    );
  });

  it('drops userinfo and replaces listed secrets in the path', () => {
    expect(canonicalRequest({ method: 'GET', url: 'http://u:p@h:1/v2/PATHKEY12345/x' }, ['PATHKEY12345'])).toBe(
      'GET http://h:1/v2/***/x',
    );
  });

  it('canonicalises JSON bodies and strips JSON-RPC ids, also inside batches', () => {
    const a = canonicalRequest({
      method: 'POST',
      url,
      body: '[{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0xa","latest"]},{"id":2,"jsonrpc":"2.0","method":"eth_chainId","params":[]}]',
    });
    expect(a).toBe(
      `POST ${url}\n[{"jsonrpc":"2.0","method":"eth_getBalance","params":["0xa","latest"]},{"jsonrpc":"2.0","method":"eth_chainId","params":[]}]`,
    );
  });

  it('keeps an id that is not a JSON-RPC id', () => {
    expect(canonicalRequest({ method: 'POST', url, body: '{"id":"0xabc","b":1}' })).toBe(
      `POST ${url}\n{"b":1,"id":"0xabc"}`,
    );
  });

  it('keeps non-JSON bodies as they are, after redaction', () => {
    expect(canonicalRequest({ method: 'POST', url, body: 'a=1&apikey=SECRET' })).toBe(`POST ${url}\na=1&apikey=***`);
  });

  it('tells an absent body from an empty one', () => {
    expect(canonicalRequest({ method: 'POST', url })).not.toBe(canonicalRequest({ method: 'POST', url, body: '' }));
  });
});

describe('requestKey', () => {
  it('is the sha256 of the canonical request', () => {
    const req = { method: 'GET', url: 'https://x.io/a' } as const;
    expect(requestKey(req)).toBe(sha256Hex(canonicalRequest(req)));
  });

  it('is the same for JSON bodies that differ in key order, whitespace and JSON-RPC id', () => {
    expect(
      requestKey({ method: 'POST', url, body: '{"jsonrpc":"2.0","id":1,"method":"m","params":[{"b":1,"a":2}]}' }),
    ).toBe(
      requestKey({
        method: 'POST',
        url,
        body: '{ "params": [ {"a":2,"b":1} ], "method":"m", "id": 99, "jsonrpc":"2.0" }',
      }),
    );
  });

  it('differs for different methods, params, paths and bodies', () => {
    const keys = new Set([
      requestKey({ method: 'GET', url: 'https://x.io/a?p=1' }),
      requestKey({ method: 'GET', url: 'https://x.io/a?p=2' }),
      requestKey({ method: 'GET', url: 'https://x.io/b?p=1' }),
      requestKey({ method: 'POST', url: 'https://x.io/a?p=1' }),
      requestKey({ method: 'POST', url: 'https://x.io/a?p=1', body: '{"jsonrpc":"2.0","method":"a","params":[]}' }),
      requestKey({ method: 'POST', url: 'https://x.io/a?p=1', body: '{"jsonrpc":"2.0","method":"b","params":[]}' }),
    ]);
    expect(keys.size).toBe(6);
  });

  it('does not depend on the API key, so a recording replays with another key or none', () => {
    const base = 'https://api.etherscan.io/v2/api?chainid=1&module=account&action=txlist';
    expect(requestKey({ method: 'GET', url: `${base}&apikey=KEY_ONE` })).toBe(
      requestKey({ method: 'GET', url: `${base}&apikey=KEY_TWO` }),
    );
    expect(requestKey({ method: 'GET', url: `${base}&apikey=KEY_ONE` })).toBe(requestKey({ method: 'GET', url: base }));
  });

  it('gives a redacted request the key of the original', () => {
    const secrets = ['PATHKEY12345'];
    const original = { method: 'POST', url: `${url}?b=1&token=T0KEN0000`, body: '{"x":"PATHKEY12345"}' } as const;
    const redacted = {
      method: 'POST',
      url: redactUrl(original.url, secrets),
      body: redactText(original.body, secrets),
    } as const;
    expect(requestKey(redacted, secrets)).toBe(requestKey(original, secrets));
  });
});
