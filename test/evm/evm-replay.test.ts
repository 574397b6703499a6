import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareWithGroundTruth, type EvmGroundTruth } from '@fundflow/evm/scenario';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers';

const CASE = join(ROOT, 'fixtures/evm-anvil-exchange-drain');

describe('fundflow replay / verify on the anvil EVM exchange drain (recorded from a real node)', () => {
  it('replays offline to the ground truth: mixer, bridge and exchange per asset, swaps, fees, unspent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-evm-'));
    const r = await runCli(['replay', CASE, '-o', join(dir, 'a.json'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.reproduced).toBe(true);
    expect(result.provenance.kind).toBe('recorded-node');
    expect(result.provenance.statement).toMatch(/^recorded from anvil \d/);
    const text = readFileSync(join(dir, 'a.json'), 'utf8');
    expect(text).toBe(readFileSync(join(CASE, 'expected.trace.json'), 'utf8'));
    // The scenario's own FIFO bookkeeping (written beside the case) agrees with the replayed trace, asset by asset.
    const truth = JSON.parse(readFileSync(join(CASE, 'ground-truth.json'), 'utf8')) as EvmGroundTruth;
    const trace = JSON.parse(text);
    expect(compareWithGroundTruth(truth, trace)).toEqual([]);
    const mixer = truth.contracts.mixer;
    expect(trace.results.fifo.summary.cashOuts).toContainEqual(
      expect.objectContaining({ address: mixer, amount: '140000000000000000000', asset: 'anvil:ETH' }),
    );
    // Internal transfers (disperser, pool, forwarder) are part of the flow; the token without decimals() says so.
    expect(trace.transfers.filter((t: { kind: string }) => t.kind === 'internal').length).toBeGreaterThan(3);
    const odd = trace.assets.find((a: { symbol: string }) => a.symbol === 'ODD');
    expect(odd).toMatchObject({ decimals: 0, decimalsKnown: false });
    // The swaps: SDOL handed to the pool stops as `swap`, the ETH that came back goes on.
    expect(trace.results.fifo.edges.some((e: { rule: string }) => e.rule === 'swap.in/fifo')).toBe(true);
  });

  it('verify proves the golden trace byte for byte', async () => {
    const r = await runCli(['verify', join(CASE, 'expected.trace.json'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).verified).toBe(true);
  });

  it('exports and reports an all-asset trace one asset at a time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-evm-export-'));
    const truth = JSON.parse(readFileSync(join(CASE, 'ground-truth.json'), 'utf8')) as EvmGroundTruth;
    const sdol = `anvil:${truth.assets.SDOL!.contract}`;
    const file = join(CASE, 'expected.trace.json');
    const r = await runCli(['export', file, '--format', 'csv', '--asset', sdol, '-o', join(dir, 'sdol'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const edges = readFileSync(join(dir, 'sdol.edges.csv'), 'utf8').trim().split('\n').slice(1);
    expect(edges.length).toBeGreaterThan(0);
    for (const line of edges) expect(line).toContain(sdol);
    const bad = await runCli(['export', file, '--asset', 'anvil:0xnope', '-o', join(dir, 'x')]);
    expect(bad.code).toBe(2);
    const report = await runCli(['report', file, '-o', join(dir, 'report')]);
    expect(report.code, report.stderr).toBe(0);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    for (const symbol of ['ETH', 'SDOL', 'ODD']) expect(md).toContain(`## Where the money went — ${symbol}`);
    expect(md).toContain('ODD (raw units)');
  });
});
