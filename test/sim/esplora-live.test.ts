import { EsploraSource } from '@fundflow/bitcoin';
import { Cassette, DEFAULT_STOP_CATEGORIES, http, recording, traceForward } from '@fundflow/core';
import {
  generateScenario,
  SimUtxoSource,
  scenarioLabels,
  scenarioParams,
  startEsploraServer,
  type UtxoScenario,
} from '@fundflow/sim';
import { describe, expect, it } from 'vitest';

describe('the Esplora source, live against the rate-limited simulated Esplora server', () => {
  it('gives the same FIFO result as the in-process source, with no 429 and no repeated request', async () => {
    const s = generateScenario({ seed: 9, model: 'utxo', size: 80 }) as UtxoScenario;
    const labels = scenarioLabels(s);
    const params = scenarioParams(s, ['fifo'], {
      maxHops: 1000,
      minAmount: 0n,
      fanOutCap: 1000,
      stopCategories: DEFAULT_STOP_CATEGORIES,
    });
    // 50 ms latency and nginx-style limit_req 25 r/s burst 5, as a public Esplora; the client is set to 20 r/s.
    const server = await startEsploraServer(s, { latencyMs: 50, rateLimit: { requestsPerSecond: 25, burst: 5 } });
    const cassette = new Cassette();
    try {
      const live = await traceForward({
        source: new EsploraSource({
          baseUrl: server.url,
          network: 'regtest',
          transport: recording(http({ rateLimit: { requestsPerSecond: 20 } }), cassette),
        }),
        labels,
        params,
      });
      const local = await traceForward({ source: new SimUtxoSource(s), labels, params });
      expect(live.results.fifo!.summary).toEqual(local.results.fifo!.summary);
      expect(live.results.fifo!.edges.map((e) => [e.transfer, e.amount])).toEqual(
        local.results.fifo!.edges.map((e) => [e.transfer, e.amount]),
      );
      expect(server.stats().rateLimited).toBe(0);
      // Every request the server saw was a distinct one: nothing repeated, nothing retried.
      expect(server.stats().requests).toBe(cassette.size);
    } finally {
      await server.close();
    }
  });
});
