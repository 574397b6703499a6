import { Cassette, isFundflowError, replaying } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { CoreRpcSource } from './core-rpc-source';
import { EsploraSource } from './esplora-source';
import { bitcoinSourceFor } from './source-for';

const transport = replaying(new Cassette());

describe('bitcoinSourceFor', () => {
  it('builds the source of its kinds on the spec network, and leaves other kinds alone', () => {
    const esplora = bitcoinSourceFor(
      { kind: 'esplora', chain: 'litecoin', endpoint: 'https://x.invalid/api' },
      transport,
    );
    expect(esplora).toBeInstanceOf(EsploraSource);
    expect(esplora?.info).toMatchObject({ chain: 'litecoin', kind: 'esplora', network: 'litecoin' });
    const rpc = bitcoinSourceFor(
      { kind: 'bitcoin-rpc', chain: 'litecoin', network: 'litecoin-regtest', endpoint: 'http://127.0.0.1:19443' },
      transport,
      { rpcAuth: { user: 'u', password: 'p' } },
    );
    expect(rpc).toBeInstanceOf(CoreRpcSource);
    expect(rpc?.info.network).toBe('litecoin-regtest');
    expect(bitcoinSourceFor({ kind: 'nis1', chain: 'nem', endpoint: 'http://x.invalid' }, transport)).toBeUndefined();
  });

  it('refuses a network it does not know', () => {
    const spec = { kind: 'esplora', chain: 'bitcoin', network: 'dogecoin', endpoint: 'https://x.invalid' };
    let error: unknown;
    try {
      bitcoinSourceFor(spec, transport);
    } catch (e) {
      error = e;
    }
    expect(isFundflowError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toContain('"dogecoin"');
  });
});
