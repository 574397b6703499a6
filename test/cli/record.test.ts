import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCaseFile, serializeCsvPack } from '@fundflow/core';
import { generateScenario, startEsploraServer, type UtxoScenario } from '@fundflow/sim';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers';

describe('fundflow trace --record', () => {
  it('writes a self-contained case that replays offline and verifies, after the server is gone', async () => {
    const s = generateScenario({ seed: 21, model: 'utxo', size: 80 }) as UtxoScenario;
    const server = await startEsploraServer(s);
    const dir = mkdtempSync(join(tmpdir(), 'ff-record-'));
    writeFileSync(
      join(dir, 'my-labels.csv'),
      serializeCsvPack({ info: { name: 'my-labels', source: 'simulated', asOf: s.asOf }, labels: s.labels }),
    );
    const caseDir = join(dir, 'my-case');
    try {
      const r = await runCli([
        'trace',
        'regtest',
        s.seedAddress,
        '--endpoint',
        server.url,
        '--since',
        String(s.since),
        '--until',
        String(s.until),
        '--labels',
        join(dir, 'my-labels.csv'),
        '--rps',
        '200',
        '--record',
        caseDir,
        '-o',
        join(dir, 'live.json'),
      ]);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      await server.close();
    }
    const c = parseCaseFile(readFileSync(join(caseDir, 'case.json'), 'utf8'));
    expect(c.provenance.kind).toBe('recorded-live');
    expect(c.labels).toEqual(['my-labels.csv']);
    expect(c.expected.fifo?.cashOuts.length).toBeGreaterThan(0);

    const replay = await runCli(['replay', caseDir, '-o', join(dir, 'replayed.json'), '--json']);
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout).reproduced).toBe(true);
    expect(readFileSync(join(dir, 'replayed.json'), 'utf8')).toBe(readFileSync(join(dir, 'live.json'), 'utf8'));
    const verify = await runCli(['verify', join(caseDir, 'expected.trace.json')]);
    expect(verify.code, verify.stderr).toBe(0);
  });
});
