import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FundflowError, parseTrace, type UtxoSource } from '@fundflow/core';
import { generateScenario, startEsploraServer } from '@fundflow/sim';
import { describe, expect, it } from 'vitest';
import {
  addExpansion,
  caseSource,
  EXPANDED_RULE,
  EXPANSIONS_KEY,
  type ExpandedTransfer,
  type ExpansionRecord,
  expandErrorText,
  liveDefaults,
  liveSource,
  loadCaseCassette,
  NotInBrowserError,
  readNextHop,
  splitExpansions,
  withExpansions,
  withoutSecret,
} from './expand';
import { buildViewModel, computeVisibility } from './model';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
/** Serves `cases/<name>/<file>` from fixtures/ as the build does (case.json, cassette/*.json). */
const fromFixtures = async (url: string) => {
  const m = /^cases\/([^/]+)\/(case|cassette|manifest)\.json$/.exec(url);
  if (m === null) throw new Error(`unexpected url ${url}`);
  const name = decodeURIComponent(m[1]!);
  return readFileSync(`${FIXTURES}${name}/${m[2] === 'case' ? '' : 'cassette/'}${m[2]}.json`, 'utf8');
};
const traceOf = (name: string) => parseTrace(readFileSync(`${FIXTURES}${name}/expected.trace.json`, 'utf8'));

const ATTACKER = 'NBDKT4BSDM3FKHCUGUZU2C5SZWE3N5NGT6DMAMCW';

describe('expand one hop from a case cassette', () => {
  it('reads the attacker of the NEM case through NisSource over the replayed cassette', async () => {
    const trace = traceOf('nem-2018-exchange-drain');
    const { spec, cassette } = await loadCaseCassette('nem-2018-exchange-drain', fromFixtures);
    expect(spec).toEqual({
      kind: 'nis1',
      chain: 'nem',
      network: 'mainnet',
      endpoint: 'http://simulated-nis1.invalid:7890',
    });
    const source = await caseSource(spec, cassette);
    const vm = buildViewModel(trace);
    const read = await readNextHop(source, ATTACKER, trace, vm.graph);
    expect(read.length).toBeGreaterThan(0);
    for (const t of read) expect(t.from).toBe(ATTACKER);
    const before = vm.graph.size;
    const added = addExpansion(vm.graph, ATTACKER, read);
    expect(added.edges.length + added.known).toBe(read.length);
    expect(vm.graph.size).toBe(before + added.edges.length);
    for (const e of added.edges) {
      expect(vm.graph.getEdgeAttribute(e, 'rule')).toBe(EXPANDED_RULE);
      expect(vm.graph.getEdgeAttribute(e, 'tainted')).toBe(false);
    }
    // Again: nothing new.
    expect(addExpansion(vm.graph, ATTACKER, read)).toEqual({ nodes: [], edges: [], known: read.length });
  });

  it('names the request a cassette does not hold (a cash-out the tracer stopped at)', async () => {
    const trace = traceOf('nem-2018-exchange-drain');
    const { spec, cassette } = await loadCaseCassette('nem-2018-exchange-drain', fromFixtures);
    const source = await caseSource(spec, cassette);
    const cashOut = trace.results.fifo!.summary.cashOuts[0]!.address;
    const e = await readNextHop(source, cashOut, trace, buildViewModel(trace).graph).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FundflowError);
    expect(expandErrorText(e)).toMatch(
      new RegExp(
        `^not in the recorded case \\(FIXTURE_MISSING\\): GET http://simulated-nis1\\.invalid:7890/\\S+${cashOut}`,
      ),
    );
    expect(expandErrorText(new Error('boom'))).toBe('boom');
  });

  it('follows the spends of what a UTXO address received (sim Esplora case) and refuses bitcoin-rpc', async () => {
    const trace = traceOf('sim-utxo-exchange-drain');
    const { spec, cassette } = await loadCaseCassette('sim-utxo-exchange-drain', fromFixtures);
    const source = await caseSource(spec, cassette);
    const vm = buildViewModel(trace);
    const edge = trace.results.fifo!.edges[Math.floor(trace.results.fifo!.edges.length / 2)]!;
    const address = trace.transfers.find((t) => t.id === edge.transfer)!.to;
    const read = await readNextHop(source, address, trace, vm.graph);
    expect(read.length).toBeGreaterThan(0);
    for (const t of read) expect(t.from).toBe(address);
    const ltc = await loadCaseCassette('ltc-regtest-exchange-drain', fromFixtures);
    await expect(caseSource(ltc.spec, ltc.cassette)).rejects.toBeInstanceOf(NotInBrowserError);
  });

  it('places new counterparties one column to the right, visible, and skips transfers already in the graph', () => {
    const vm = buildViewModel(traceOf('nem-2018-exchange-drain'));
    const g = vm.graph;
    const known = g.edges(ATTACKER).find((e) => g.source(e) === ATTACKER)!;
    const t = (id: string, to: string): ExpandedTransfer => ({
      id,
      txid: id,
      from: ATTACKER,
      to,
      asset: 'nem:XEM',
      amount: '5',
      time: 1_516_900_000,
      height: 1,
      kind: 'native',
      memo: '',
      evidence: [],
    });
    const added = addExpansion(g, ATTACKER, [t(known, 'x'), t('new-1', 'NEWNODE1'), t('new-2', 'NEWNODE2')]);
    expect(added).toEqual({ nodes: ['NEWNODE1', 'NEWNODE2'], edges: ['new-1', 'new-2'], known: 1 });
    const x = g.getNodeAttribute(ATTACKER, 'x')!;
    for (const n of added.nodes) {
      expect(g.getNodeAttribute(n, 'x')!).toBeGreaterThan(x);
      expect(g.getNodeAttribute(n, 'hop')).toBe(g.getNodeAttribute(ATTACKER, 'hop') + 1);
    }
    expect(g.getNodeAttribute('NEWNODE1', 'y')).not.toBe(g.getNodeAttribute('NEWNODE2', 'y'));
    const v = computeVisibility(g, { minAmount: 0n });
    expect(v.edges.has('new-1') && v.nodes.has('NEWNODE2')).toBe(true);
  });
});

describe('expand live', () => {
  it('prefills the kind and endpoint from the trace: public APIs for public networks, else the recorded endpoint', () => {
    expect(liveDefaults(traceOf('nem-2018-exchange-drain'))).toEqual({
      kind: 'nis1',
      endpoint: 'http://san.nem.ninja:7890',
    });
    expect(liveDefaults(traceOf('sim-utxo-exchange-drain'))).toEqual({
      kind: 'esplora',
      endpoint: 'http://127.0.0.1:38291',
    });
    expect(liveDefaults(traceOf('evm-anvil-exchange-drain'))).toEqual({
      kind: 'jsonrpc',
      endpoint: 'http://127.0.0.1:18545',
    });
    expect(liveDefaults(traceOf('ltc-regtest-exchange-drain'))).toEqual({ kind: 'esplora', endpoint: '' });
    const btc = { chain: 'bitcoin', model: 'utxo' as const, sources: [] };
    expect(liveDefaults(btc)).toEqual({ kind: 'esplora', endpoint: 'https://blockstream.info/api' });
    const eth = { chain: 'ethereum', model: 'account' as const, sources: [] };
    expect(liveDefaults(eth)).toEqual({ kind: 'etherscan', endpoint: 'https://api.etherscan.io/v2/api' });
  });

  it('reads the same next hop live from the simulated Esplora server (real HTTP) as from the recorded case', async () => {
    // The sim UTXO case was recorded from this scenario (case.json: generateScenario seed 7, size 300).
    const server = await startEsploraServer(generateScenario({ seed: 7, model: 'utxo', size: 300 }));
    try {
      const trace = traceOf('sim-utxo-exchange-drain');
      const edge = trace.results.fifo!.edges[Math.floor(trace.results.fifo!.edges.length / 2)]!;
      const address = trace.transfers.find((t) => t.id === edge.transfer)!.to;
      const { spec, cassette } = await loadCaseCassette('sim-utxo-exchange-drain', fromFixtures);
      const recorded = await readNextHop(await caseSource(spec, cassette), address, trace, buildViewModel(trace).graph);
      const steps: number[] = [];
      const live = await liveSource(
        trace,
        { kind: 'esplora', endpoint: `${server.url}/` },
        { onProgress: (p) => steps.push(p.sent) },
      );
      const read = await readNextHop(live, address, trace, buildViewModel(trace).graph);
      expect(read).toEqual(recorded);
      expect(steps.at(-1)).toBe(server.stats().requests);
    } finally {
      await server.close();
    }
  });

  it('sends the API key to the endpoint only: never in an error text, even when the server echoes it', async () => {
    const key = 'DUMMY-KEY-5f3c9a71';
    const urls: string[] = [];
    const trace = { chain: 'ethereum', sources: [] };
    const addr = '0x1111111111111111111111111111111111111111';
    const params = {
      params: {
        seeds: [addr],
        policies: ['fifo' as const],
        maxHops: 1,
        minAmount: '0',
        fanOutCap: 1,
        stopCategories: [],
      },
    };
    const failing = await liveSource(
      trace,
      { kind: 'etherscan', endpoint: 'http://127.0.0.1:9/v2/api' },
      {
        apiKey: key,
        fetch: (async (url: string) => {
          urls.push(String(url));
          throw new TypeError(`Failed to fetch ${String(url)}`);
        }) as unknown as typeof fetch,
      },
    );
    const e = await readNextHop(failing, addr, params, buildViewModel(traceOf('nem-2018-exchange-drain')).graph).catch(
      (x: unknown) => x,
    );
    expect(urls.length).toBe(3); // 2 retries
    expect(urls[0]).toContain(`apikey=${key}`);
    const text = expandErrorText(e);
    expect(text).toMatch(/^NETWORK_ERROR: GET http:\/\/127\.0\.0\.1:9\/v2\/api\?/);
    expect(text).not.toContain(key);
    const echoing = await liveSource(
      trace,
      { kind: 'blockscout', endpoint: 'http://127.0.0.1:9' },
      {
        apiKey: key,
        fetch: (async (url: string) =>
          new Response(JSON.stringify({ message: `bad request ${String(url)}` }), {
            status: 400,
            headers: { 'content-type': 'application/json' },
          })) as unknown as typeof fetch,
      },
    );
    const e2 = await readNextHop(echoing, addr, params, buildViewModel(traceOf('nem-2018-exchange-drain')).graph).catch(
      (x: unknown) => x,
    );
    expect(e2).toBeInstanceOf(FundflowError);
    expect(JSON.stringify(e2)).not.toContain(key);
    expect(expandErrorText(e2)).not.toContain(key);
    expect(withoutSecret(`x ${key} ${encodeURIComponent(key)}`, key)).toBe('x *** ***');
  });

  it('cancels: the requests in flight are aborted (ABORTED)', async () => {
    const abort = new AbortController();
    const source = await liveSource(
      traceOf('sim-utxo-exchange-drain'),
      { kind: 'esplora', endpoint: 'http://127.0.0.1:9' },
      {
        signal: abort.signal,
        fetch: ((_url: string, init: RequestInit) =>
          new Promise((_done, fail) =>
            init.signal!.addEventListener('abort', () => fail(new Error('aborted'))),
          )) as unknown as typeof fetch,
      },
    );
    const pending = (source as UtxoSource).getOutspends('ab'.repeat(32)).catch((x: unknown) => x);
    setTimeout(() => abort.abort(), 20);
    const e = await pending;
    expect((e as FundflowError).code).toBe('ABORTED');
  });

  it('saves expansions as a section after the trace, and reads the trace bytes and the expansions back', () => {
    const text = readFileSync(`${FIXTURES}nem-2018-exchange-drain/expected.trace.json`, 'utf8');
    const record: ExpansionRecord = {
      node: ATTACKER,
      via: {
        mode: 'live',
        kind: 'nis1',
        endpoint: 'http://san.nem.ninja:7890',
        chain: 'nem',
        network: 'mainnet',
        readAt: '2026-01-01T00:00:00.000Z',
      },
      transfers: [
        {
          id: 'n-1',
          txid: 't',
          from: ATTACKER,
          to: 'NX',
          asset: 'nem:XEM',
          amount: '12',
          time: 1,
          height: 2,
          kind: 'native',
          memo: '"}',
          evidence: ['ab'],
        },
      ],
    };
    const saved = withExpansions(text, [record]);
    expect(saved.startsWith(text.replace(/\n}\n$/, ''))).toBe(true);
    expect(Object.keys(JSON.parse(saved)).at(-1)).toBe(EXPANSIONS_KEY);
    expect(parseTrace(saved)).toEqual(parseTrace(text)); // other tools read it as the trace
    const back = splitExpansions(saved);
    expect(back.traceText).toBe(text);
    expect(back.records).toEqual([record]);
    expect(splitExpansions(text)).toEqual({ traceText: text, records: [] });
    // Saved again from what was read back: the same bytes.
    expect(withExpansions(back.traceText, back.records)).toBe(saved);
    const broken = saved.replace('"amount": "12"', '"amount": "-12"');
    expect(() => splitExpansions(broken)).toThrow(/transfers\[0\]/);
  });
});
