import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers';

const CASE = join(ROOT, 'fixtures/ltc-regtest-exchange-drain');

describe('fundflow replay on the litecoind regtest case (offline)', () => {
  it('reproduces the expected cash-outs from the recorded node answers, byte-identical to the golden trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-ltc-replay-'));
    const r = await runCli(['replay', CASE, '-o', join(dir, 'trace.json'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.reproduced).toBe(true);
    expect(result.mismatches).toEqual([]);
    expect(result.provenance.kind).toBe('recorded-node');
    expect(result.provenance.statement).toBe(
      'recorded from litecoind 0.21 regtest, scenario script packages/bitcoin/scripts/ltc-regtest-scenario.ts',
    );
    const caseFile = JSON.parse(readFileSync(join(CASE, 'case.json'), 'utf8'));
    expect(result.summary.fifo.stolen).toBe(caseFile.expected.fifo.stolen);
    expect(result.summary.fifo.cashOuts.length).toBe(caseFile.expected.fifo.cashOuts.length);
    expect(readFileSync(join(dir, 'trace.json'), 'utf8')).toBe(readFileSync(join(CASE, 'expected.trace.json'), 'utf8'));
  });

  it('verify proves the golden trace from the cassette', async () => {
    const r = await runCli(['verify', join(CASE, 'expected.trace.json'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).verified).toBe(true);
  });
});
