import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../util/hash';
import { Cassette } from './cassette';
import { createCassetteEntry } from './cassette-entry';
import { replaying } from './replaying';
import { requestKey } from './request-key';
import { failure } from './test-helpers';
import type { TransportRequest } from './types';

function entry(request: TransportRequest, body: string, status = 200) {
  return createCassetteEntry(request, {
    status,
    headers: { 'content-type': 'application/json' },
    body,
    sha256: sha256Hex(body),
  });
}

describe('replaying', () => {
  const tx = { method: 'GET', url: 'https://mempool.space/api/tx/aa' } as const;
  const rpc = {
    method: 'POST',
    url: 'https://rpc.example/',
    body: '{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0xabc","latest"]}',
  } as const;
  const cassette = new Cassette([
    entry(tx, '{"txid":"aa"}'),
    entry(rpc, '{"jsonrpc":"2.0","id":1,"result":"0x10"}'),
    entry({ method: 'GET', url: 'https://mempool.space/api/tx/zz' }, 'Transaction not found', 404),
    entry({ method: 'GET', url: 'https://mempool.space/api/broken' }, '{"a":'),
  ]);

  it('answers recorded requests with the stored response and parsed JSON', async () => {
    const t = replaying(cassette);
    const res = await t.request(tx);
    expect(res).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"txid":"aa"}',
      sha256: sha256Hex('{"txid":"aa"}'),
      json: { txid: 'aa' },
    });
    expect((await t.request({ ...tx, expect: 'text' })).json).toBeUndefined();
    const missing = await t.request({ method: 'GET', url: 'https://mempool.space/api/tx/zz' });
    expect(missing).toMatchObject({ status: 404, body: 'Transaction not found' });
    expect(missing.json).toBeUndefined();
  });

  it('answers at once with requestNow: the same response, or the same FIXTURE_MISSING thrown', async () => {
    const t = replaying(cassette);
    expect(t.requestNow!(tx)).toEqual(await t.request(tx));
    expect(t.requestNow!(rpc)).toEqual(await t.request(rpc));
    expect(() => t.requestNow!({ method: 'GET', url: 'https://mempool.space/api/tx/none' })).toThrow(
      expect.objectContaining({ code: 'FIXTURE_MISSING' }),
    );
  });

  it('matches JSON-RPC calls whatever their id and key order', async () => {
    const res = await replaying(cassette).request({
      ...rpc,
      body: '{"params":["0xabc","latest"],"method":"eth_getBalance","id":42,"jsonrpc":"2.0"}',
    });
    expect(res.json).toMatchObject({ result: '0x10' });
  });

  it('throws FIXTURE_MISSING naming an unrecorded request, without its key', async () => {
    const url =
      'https://api.etherscan.io/v2/api?chainid=1&module=account&action=txlist&address=0xdead&apikey=MYAPIKEY123';
    const err = await failure(replaying(cassette).request({ method: 'GET', url }));
    expect(err.code).toBe('FIXTURE_MISSING');
    const redacted = url.replace('MYAPIKEY123', '***');
    expect(err.details).toEqual({ method: 'GET', url: redacted, key: requestKey({ method: 'GET', url }) });
    expect(err.message).toContain(`GET ${redacted}`);
    expect(JSON.stringify([err, err.message])).not.toContain('MYAPIKEY123');
  });

  it('names the body of an unrecorded POST', async () => {
    const err = await failure(
      replaying(cassette).request({ ...rpc, body: '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' }),
    );
    expect(err.code).toBe('FIXTURE_MISSING');
    expect(err.message).toContain('eth_blockNumber');
  });

  it('throws BAD_RESPONSE for a stored 2xx that is not JSON', async () => {
    const err = await failure(replaying(cassette).request({ method: 'GET', url: 'https://mempool.space/api/broken' }));
    expect(err.code).toBe('BAD_RESPONSE');
  });
});
