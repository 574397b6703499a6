/**
 * Test-only: plays a fixed scenario on a fresh anvil (native, contract creation with value, internal forwards, a
 * failing child frame, a reverted transaction, a value-0 transaction, a self-destruct, two ERC-20s with 6 and 0
 * decimals, and a token without decimals()/symbol()). Returns the actors and the hashes.
 */
import { Interface } from 'ethers';
import type { Anvil } from '../../../scripts/anvil';
import { compileContracts } from './contracts';

export interface Scenario {
  accounts: { a: string; b: string; c: string };
  forwarder: string;
  sink: string;
  usd: string;
  zero: string;
  nometa: string;
  tx: Record<string, string>;
}

export const ETH = 10n ** 18n;

export async function playScenario(anvil: Anvil): Promise<Scenario> {
  const compiled = compileContracts();
  const accounts = await anvil.rpc<string[]>('eth_accounts');
  const [a, b, c] = [accounts[0]!, accounts[1]!, accounts[2]!];
  const send = async (name: string, tx: Record<string, string>) => {
    // One block per transaction, a minute apart: block times are distinct and fixed relative to the genesis time.
    const latest = await anvil.rpc<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false]);
    await anvil.rpc('evm_setNextBlockTimestamp', [Number(BigInt(latest.timestamp)) + 60]);
    const hash = await anvil.rpc<string>('eth_sendTransaction', [tx]);
    type Receipt = { status: string; contractAddress: string | null };
    let receipt = await anvil.rpc<Receipt | null>('eth_getTransactionReceipt', [hash]);
    for (let i = 0; receipt === null && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 20));
      receipt = await anvil.rpc<Receipt | null>('eth_getTransactionReceipt', [hash]);
    }
    if (receipt === null) throw new Error(`${name}: ${hash} was not mined`);
    return { hash, receipt, name };
  };
  const hexv = (v: bigint) => `0x${v.toString(16)}`;
  const iface = (name: string) => new Interface(compiled[name]!.abi as never);
  const deploy = async (name: string, from: string, args: unknown[] = [], value = 0n) => {
    const data = compiled[name]!.bytecode + iface(name).encodeDeploy(args).slice(2);
    return send(`deploy ${name}`, { from, data, value: hexv(value), gas: hexv(3_000_000n) });
  };
  const tx: Record<string, string> = {};
  tx.native = (await send('native', { from: a, to: b, value: hexv(ETH) })).hash;
  const f = await deploy('Forwarder', a, [], ETH / 2n);
  tx.createForwarder = f.hash;
  const forwarder = f.receipt.contractAddress!;
  const s = await deploy('Sink', a);
  const sink = s.receipt.contractAddress!;
  const fw = iface('Forwarder');
  tx.forward = (
    await send('forward', {
      from: a,
      to: forwarder,
      value: hexv(2n * ETH),
      data: fw.encodeFunctionData('forward', [c]),
    })
  ).hash;
  tx.tryBoth = (
    await send('tryBoth', {
      from: a,
      to: forwarder,
      value: hexv(3n * ETH),
      data: fw.encodeFunctionData('tryBoth', [sink, c]),
    })
  ).hash;
  const failed = await send('fail', {
    from: a,
    to: forwarder,
    value: hexv(ETH),
    data: fw.encodeFunctionData('fail', []),
    gas: hexv(100_000n),
  });
  if (failed.receipt.status !== '0x0') throw new Error('fail() did not revert');
  tx.reverted = failed.hash;
  tx.zeroValue = (await send('zero', { from: a, to: b, value: '0x0' })).hash;
  const usd = (await deploy('Token', a, ['USDx', 6, 1_000_000n * 10n ** 6n])).receipt.contractAddress!;
  const tok = iface('Token');
  tx.usd = (await send('usd', { from: a, to: usd, data: tok.encodeFunctionData('transfer', [b, 1_234_567n]) })).hash;
  const zero = (await deploy('Token', a, ['ZERO', 0, 100n])).receipt.contractAddress!;
  tx.zeroDec = (await send('zeroDec', { from: a, to: zero, data: tok.encodeFunctionData('transfer', [b, 5n]) })).hash;
  const nometa = (await deploy('NoMeta', b, [1000n])).receipt.contractAddress!;
  tx.nometa = (
    await send('nometa', { from: b, to: nometa, data: iface('NoMeta').encodeFunctionData('transfer', [a, 77n]) })
  ).hash;
  tx.destroy = (await send('destroy', { from: a, to: forwarder, data: fw.encodeFunctionData('destroy', [b]) })).hash;
  return { accounts: { a, b, c }, forwarder, sink, usd, zero, nometa, tx };
}
