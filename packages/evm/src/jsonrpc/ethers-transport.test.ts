import { getAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { decodeCallFrame, decodeOtsInternalOps } from '../decode/traces';
import { rewriteRpcIds, transportJsonRpcProvider } from './ethers-transport';
import { FakeNode, RawAnswer } from './testing/fake-node';

describe('ethers JsonRpcProvider over a Transport', () => {
  it('answers although the replayed id differs, marks chosen calls immutable, one request per call', async () => {
    const node = new FakeNode({ eth_blockNumber: () => '0x2a', eth_getTransactionReceipt: () => null });
    const provider = transportJsonRpcProvider('http://node.test', node, 1, {
      immutable: (method) => method === 'eth_getTransactionReceipt',
    });
    expect(await provider.getBlockNumber()).toBe(42);
    expect(await provider.getTransactionReceipt(`0x${'ab'.repeat(32)}`)).toBeNull();
    expect(node.methods()).toEqual(['eth_blockNumber', 'eth_getTransactionReceipt']); // no eth_chainId: static network
    expect(node.calls.map((c) => c.immutable)).toEqual([false, true]);
    provider.destroy();
  });

  it('does not retry a 429 itself (the transport owns retries)', async () => {
    const node = new FakeNode({
      eth_blockNumber: () => {
        throw new RawAnswer(429, 'Too Many Requests', 'text/plain');
      },
    });
    const provider = transportJsonRpcProvider('http://node.test', node, 1);
    await expect(provider.getBlockNumber()).rejects.toThrow();
    expect(node.count('eth_blockNumber')).toBe(1);
    provider.destroy();
  });

  it('rewrites ids of single and batch answers', () => {
    expect(JSON.parse(rewriteRpcIds({ id: 7 }, '{"jsonrpc":"2.0","id":1,"result":"0x1"}'))).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: '0x1',
    });
    expect(JSON.parse(rewriteRpcIds([{ id: 3 }, { id: 4 }], '[{"id":1,"result":1},{"id":2,"result":2}]'))).toEqual([
      { id: 3, result: 1 },
      { id: 4, result: 2 },
    ]);
    expect(rewriteRpcIds({ id: 7 }, '<html>')).toBe('<html>');
  });
});

describe('call-tree decoders (made-up trees)', () => {
  const X = getAddress(`0x${'11'.repeat(20)}`);
  const Y = getAddress(`0x${'22'.repeat(20)}`);
  const Z = getAddress(`0x${'33'.repeat(20)}`);
  it('follows value CALLs under a DELEGATECALL, counts CREATE2, skips CALLCODE and zero values', () => {
    const moves = decodeCallFrame({
      type: 'CALL',
      from: X,
      to: Y,
      value: '0x5',
      calls: [
        { type: 'DELEGATECALL', from: Y, to: Z, calls: [{ type: 'CALL', from: Y, to: X, value: '0x3' }] },
        { type: 'CALLCODE', from: Y, to: Z, value: '0x9' },
        { type: 'CREATE2', from: Y, to: Z, value: '0x1' },
        { type: 'CALL', from: Y, to: Z, value: '0x0' },
      ],
    });
    expect(moves.map((m) => [m.path.join('.'), m.order, m.kind, m.amount])).toEqual([
      ['0.0', 0, 'call', 3n],
      ['2', 1, 'create2', 1n],
    ]);
  });
  it("drops ots's own copy of the root call (anvil lists it first)", () => {
    const ops = [
      { type: 0, from: X, to: Y, value: '0x5' },
      { type: 0, from: Y, to: Z, value: '0x2' },
    ];
    expect(decodeOtsInternalOps(ops, { from: X, to: Y, value: 5n }).map((m) => [m.path, m.amount])).toEqual([
      [[0], 2n],
    ]);
    expect(decodeOtsInternalOps(ops.slice(1), { from: X, to: Y, value: 5n })).toHaveLength(1);
  });
});
