/**
 * Serves a simulated UTXO scenario over HTTP in Blockstream Esplora's wire format (simulated data only).
 *   npx tsx packages/sim/scripts/serve-esplora.ts --seed 1 --size 2000 --port 3002 --rps 20 --burst 40 --latency 100
 * Prints the base URL and the trace seed (hot wallet address and drain window); Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { generateScenario, startEsploraServer } from '../src/index';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    size: { type: 'string', default: '2000' },
    noise: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '3002' },
    rps: { type: 'string' },
    burst: { type: 'string' },
    latency: { type: 'string', default: '0' },
    describe: { type: 'boolean', default: false },
  },
});

function int(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || !Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a non-negative number, got ${raw}`);
    process.exit(2);
  }
  return n;
}

const started = performance.now();
const scenario = generateScenario({
  seed: int('seed', values.seed),
  model: 'utxo',
  size: int('size', values.size),
  ...(values.noise === undefined ? {} : { noise: Number(values.noise) }),
});
const generatedMs = Math.round(performance.now() - started);
const rps = values.rps === undefined ? undefined : int('rps', values.rps);
const server = await startEsploraServer(scenario, {
  host: values.host,
  port: int('port', values.port),
  latencyMs: int('latency', values.latency),
  ...(rps === undefined
    ? {}
    : {
        rateLimit: { requestsPerSecond: rps, burst: values.burst === undefined ? rps * 2 : int('burst', values.burst) },
      }),
});

console.log(`SIMULATED Esplora (bitcoin regtest) at ${server.url}  (scenario generated in ${generatedMs} ms)`);
console.log(`trace seed: address ${scenario.seedAddress} since ${scenario.since} until ${scenario.until}`);
console.log(
  `stolen ${scenario.stolenTotal} sat in ${scenario.drainIds.length} drain transactions; ` +
    `${scenario.transactions.length} transactions up to height ${scenario.tipHeight}` +
    (rps === undefined ? '' : `; rate limit ${rps} r/s`) +
    (values.latency === '0' ? '' : `; latency ${values.latency} ms`),
);
if (values.describe) console.log(scenario.describe());

const stop = async (): Promise<void> => {
  const s = server.stats();
  await server.close();
  console.log(`served ${s.requests} requests (${s.rateLimited} rate limited): ${JSON.stringify(s.byRoute)}`);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
