import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeCsvPack } from '@fundflow/core';
import { generateScenario, scenarioLabelPack, startEsploraServer, type UtxoScenario } from '@fundflow/sim';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('credentials given to the CLI', () => {
  it('never reach the trace file, the recorded case, the checkpoint, stdout or stderr', async () => {
    const secret = 'S3cretPassw0rd-9f8e7d';
    const s = generateScenario({ seed: 5, model: 'utxo', size: 60 }) as UtxoScenario;
    const server = await startEsploraServer(s);
    const dir = mkdtempSync(join(tmpdir(), 'ff-secret-'));
    try {
      writeFileSync(join(dir, 'labels.csv'), serializeCsvPack(scenarioLabelPack(s)));
      const endpoint = server.url.replace('http://', `http://analyst:${secret}@`);
      const r = await runCli([
        'trace',
        'regtest',
        s.seedAddress,
        '--endpoint',
        endpoint,
        '--since',
        String(s.since),
        '--until',
        String(s.until),
        '--labels',
        join(dir, 'labels.csv'),
        '--rps',
        '200',
        '--record',
        join(dir, 'case'),
        '--checkpoint',
        join(dir, 'trace.journal'),
        '-o',
        join(dir, 'trace.json'),
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const written = filesUnder(dir);
      expect(written.length).toBeGreaterThanOrEqual(6);
      for (const f of written) expect(readFileSync(f, 'utf8'), f).not.toContain(secret);
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);

      // A failing request's error message is checked too: the server is gone now.
      await server.close();
      const failed = await runCli([
        'trace',
        'regtest',
        s.seedAddress,
        '--endpoint',
        endpoint,
        '-o',
        join(dir, 'x.json'),
        '--json',
      ]);
      expect(failed.code).toBe(1);
      expect(failed.stdout + failed.stderr).not.toContain(secret);
      expect(JSON.parse(failed.stdout).error.code).toBe('NETWORK_ERROR');
    } finally {
      await server.close().catch(() => {});
    }
  });
});
