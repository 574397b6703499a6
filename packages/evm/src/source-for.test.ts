import { Cassette, isFundflowError, replaying } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { BlockscoutSource } from './blockscout/blockscout-source';
import { EtherscanSource } from './etherscan/etherscan-source';
import { JsonRpcSource } from './jsonrpc/source';
import { evmSourceFor } from './source-for';

const transport = replaying(new Cassette());
const spec = (kind: string, chain = 'ethereum') => ({ kind, chain, endpoint: 'https://x.invalid/api' });

describe('evmSourceFor', () => {
  it('builds the source of each of its kinds, and leaves other kinds alone', async () => {
    expect(evmSourceFor(spec('etherscan'), transport, 'KEY')).toBeInstanceOf(EtherscanSource);
    expect(evmSourceFor(spec('blockscout'), transport)).toBeInstanceOf(BlockscoutSource);
    expect(evmSourceFor(spec('jsonrpc', 'anvil'), transport)).toBeInstanceOf(JsonRpcSource);
    // A recorded case names the methods its node offered: the source uses them again, without probing the node.
    const recorded = evmSourceFor(spec('jsonrpc:trace_filter+debug_trace', 'anvil'), transport) as JsonRpcSource;
    await expect(recorded.capabilities()).resolves.toMatchObject({ history: 'trace_filter', internal: 'debug_trace' });
    expect(evmSourceFor(spec('jsonrpc:nonsense'), transport)).toBeUndefined();
    expect(evmSourceFor(spec('esplora'), transport)).toBeUndefined();
  });

  it('refuses a chain it does not know', () => {
    let error: unknown;
    try {
      evmSourceFor(spec('etherscan', 'dogechain'), transport);
    } catch (e) {
      error = e;
    }
    expect(isFundflowError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toContain('"dogechain"');
  });
});
