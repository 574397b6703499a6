import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FundflowError, parseTrace } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import {
  addExpansion,
  caseSource,
  EXPANDED_RULE,
  type ExpandedTransfer,
  expandErrorText,
  loadCaseCassette,
  NotInBrowserError,
  readNextHop,
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
