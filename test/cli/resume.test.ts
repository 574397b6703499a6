import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsvPack, serializeCsvPack } from '@fundflow/core';
import { type EsploraServer, generateScenario, startEsploraServer, type UtxoScenario } from '@fundflow/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers';

// A simulated scenario served over real HTTP with 30 ms latency; the CLI traces it live.
const scenario = generateScenario({ seed: 11, model: 'utxo', size: 300 }) as UtxoScenario;
let server: EsploraServer;
let dir: string;
let args: (journal: string, out: string) => string[];

beforeAll(async () => {
  server = await startEsploraServer(scenario, { latencyMs: 30 });
  dir = mkdtempSync(join(tmpdir(), 'ff-resume-'));
  const labels = serializeCsvPack({
    info: { name: 'sim-labels', source: 'simulated', asOf: scenario.asOf },
    labels: scenario.labels,
  });
  parseCsvPack(labels);
  writeFileSync(join(dir, 'labels.csv'), labels);
  args = (journal, out) => [
    'trace',
    'regtest',
    scenario.seedAddress,
    '--endpoint',
    server.url,
    '--since',
    String(scenario.since),
    '--until',
    String(scenario.until),
    '--policy',
    'fifo,haircut',
    '--labels',
    join(dir, 'labels.csv'),
    '--rps',
    '200',
    '--checkpoint',
    journal,
    '-o',
    out,
  ];
});

afterAll(async () => {
  await server?.close();
});

describe('a trace killed with SIGINT', () => {
  it('resumes from its checkpoint to a byte-identical file without repeating a request', async () => {
    const before = server.stats().requests;
    const full = await runCli(args(join(dir, 'full.journal'), join(dir, 'full.json')));
    expect(full.code, full.stderr).toBe(0);
    const needed = server.stats().requests - before;
    expect(needed).toBeGreaterThan(50);

    const start = server.stats().requests;
    const killed = await runCli(args(join(dir, 'run.journal'), join(dir, 'run.json')), {
      onStart: (kill) => {
        const timer = setInterval(() => {
          if (server.stats().requests - start >= needed / 3) {
            clearInterval(timer);
            kill('SIGINT');
          }
        }, 5);
      },
    });
    expect(killed.code, killed.stderr).toBe(1);
    expect(killed.stderr).toContain('ABORTED');
    const firstPart = server.stats().requests - start;
    expect(firstPart).toBeLessThan(needed);

    const resumed = await runCli(args(join(dir, 'run.journal'), join(dir, 'run.json')));
    expect(resumed.code, resumed.stderr).toBe(0);
    const secondPart = server.stats().requests - start - firstPart;
    expect(firstPart + secondPart).toBe(needed);
    expect(resumed.stderr).toMatch(new RegExp(`${firstPart} answered from the checkpoint`));
    expect(readFileSync(join(dir, 'run.json'), 'utf8')).toBe(readFileSync(join(dir, 'full.json'), 'utf8'));
  });
});
