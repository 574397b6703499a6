import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addressFromPublicKey } from '@fundflow/nem';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers';

const CASE = join(ROOT, 'fixtures/nem-2018-exchange-drain');

describe('fundflow replay / verify on the simulated NEM 2018 drain', () => {
  it('replays offline to the expected cash-outs, equal to the golden trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-nem-'));
    const r = await runCli(['replay', CASE, '-o', join(dir, 'a.json'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.reproduced).toBe(true);
    expect(result.provenance.kind).toBe('simulated');
    expect(result.provenance.statement).toMatch(/^simulated:/);
    expect(result.summary.fifo.stolen).toBe('526300010000000');
    expect(result.summary.fifo.cashOuts.length).toBeGreaterThanOrEqual(3);
    const text = readFileSync(join(dir, 'a.json'), 'utf8');
    expect(readFileSync(join(CASE, 'expected.trace.json'), 'utf8')).toBe(text);
    // A hostile memo recorded in the case stays a plain string in the trace file.
    const trace = JSON.parse(text);
    expect(trace.transfers.some((t: { memo?: string }) => t.memo === '<script>alert("deposit")</script>')).toBe(true);
    expect(trace.labels.some((l: { category: string }) => l.category === 'tagged')).toBe(true);
  });

  it('verify proves the golden trace byte for byte', async () => {
    const r = await runCli(['verify', join(CASE, 'expected.trace.json'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).verified).toBe(true);
  });

  it('rejects a testnet or checksum-invalid seed with exit code 2 before any request', async () => {
    const testnet = addressFromPublicKey('bdd8dd702acb3d88daf188be8d6d9c54b3a29a32561a068b25d2261b2b2b7f02', 'testnet');
    for (const address of [testnet, 'NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OH']) {
      const r = await runCli([
        'trace',
        'nem',
        address,
        '--replay',
        join(CASE, 'cassette'),
        '--json',
        '-o',
        '/dev/null',
      ]);
      expect(r.code, r.stderr).toBe(2);
      expect(JSON.parse(r.stdout).error.code).toBe('INVALID_ADDRESS');
    }
  });
});
