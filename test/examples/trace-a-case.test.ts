import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCaseFile, parseTrace } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers';

describe('packages/core/examples/trace-a-case.ts (a trace as a script)', () => {
  it('runs and writes a valid trace file with the case’s expected FIFO cash-outs', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ff-example-')), 'example.trace.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'packages/core/examples/trace-a-case.ts', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const trace = parseTrace(readFileSync(out, 'utf8'));
    const expected = parseCaseFile(readFileSync(join(ROOT, 'fixtures/sim-utxo-exchange-drain/case.json'), 'utf8'));
    expect(trace.params.policies).toEqual(['fifo', 'haircut']);
    // Its dust floor (1000 sat) and 40-hop limit are tighter than the case's, so amounts can only shrink.
    const got = new Map(trace.results.fifo!.summary.cashOuts.map((c) => [c.address, BigInt(c.amount)]));
    for (const c of expected.expected.fifo!.cashOuts) {
      expect(got.has(c.address)).toBe(true);
      expect(got.get(c.address)! <= BigInt(c.amount)).toBe(true);
    }
    expect(trace.labelPacks.map((p) => p.name).sort()).toEqual(['ofac-sdn', 'sim-utxo-exchange-drain-labels']);
  });
});
