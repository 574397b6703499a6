import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers';

const CASE = join(ROOT, 'fixtures/sim-utxo-exchange-drain');

describe('fundflow replay / verify on the simulated UTXO case', () => {
  it('replays offline to the expected cash-outs, byte-identical twice and equal to the golden trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-replay-'));
    const a = await runCli(['replay', CASE, '-o', join(dir, 'a.json'), '--json']);
    expect(a.code, a.stderr).toBe(0);
    const result = JSON.parse(a.stdout);
    expect(result.reproduced).toBe(true);
    expect(result.provenance.kind).toBe('simulated');
    const b = await runCli(['replay', CASE, '-o', join(dir, 'b.json')]);
    expect(b.code, b.stderr).toBe(0);
    const first = readFileSync(join(dir, 'a.json'), 'utf8');
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(first);
    expect(readFileSync(join(CASE, 'expected.trace.json'), 'utf8')).toBe(first);
  });

  it('verify proves the golden trace, and fails with FIXTURE_CORRUPT after one byte of the cassette changes', async () => {
    const ok = await runCli(['verify', join(CASE, 'expected.trace.json'), '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).verified).toBe(true);

    const copy = mkdtempSync(join(tmpdir(), 'ff-corrupt-'));
    cpSync(CASE, copy, { recursive: true });
    const path = join(copy, 'cassette/cassette.json');
    const text = readFileSync(path, 'utf8');
    // Change one digit inside a recorded body ("value":1… → "value":2…).
    const at = text.indexOf('\\"value\\":') + '\\"value\\":'.length;
    const digit = text[at]!;
    writeFileSync(path, text.slice(0, at) + (digit === '1' ? '2' : '1') + text.slice(at + 1));
    const bad = await runCli(['verify', join(copy, 'expected.trace.json'), '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.code).toBe('FIXTURE_CORRUPT');
    const replay = await runCli(['replay', copy, '-o', join(copy, 'x.json'), '--json']);
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.stdout).error.code).toBe('FIXTURE_CORRUPT');
  });

  it('fails with FIXTURE_MISSING naming the request when the cassette lacks an answer', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'ff-missing-'));
    cpSync(CASE, copy, { recursive: true });
    // Ask for a deeper trace than was recorded: the first request beyond the cassette must be named.
    const caseFile = JSON.parse(readFileSync(join(copy, 'case.json'), 'utf8'));
    caseFile.trace.seeds = ['bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080'];
    writeFileSync(join(copy, 'case.json'), JSON.stringify(caseFile));
    const r = await runCli(['replay', copy, '-o', join(copy, 'x.json'), '--json']);
    expect(r.code).toBe(1);
    const error = JSON.parse(r.stdout).error;
    expect(error.code).toBe('FIXTURE_MISSING');
    expect(error.message).toContain('/address/bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080/txs/chain');
  });

  it('rejects an invalid or wrong-network address with exit code 2 before any request', async () => {
    for (const address of ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'not-an-address']) {
      // --replay with an empty cassette folder: any request would fail with FIXTURE_MISSING instead.
      const r = await runCli([
        'trace',
        'regtest',
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

  it('answers usage errors with exit code 2 and --help with examples', async () => {
    const bad = await runCli(['trace']);
    expect(bad.code).toBe(2);
    const help = await runCli(['replay', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
  });
});
