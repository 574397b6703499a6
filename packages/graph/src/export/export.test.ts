import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrace, sha256Hex } from '@fundflow/core';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../build-graph';
import { fixtureTraces, graphDiff, loadTrace, ROOT, SIM } from '../fixtures.test-helper';
import { exportFiles, graphOf } from '../node';
import { buildReport } from '../report/build-report';
import { GRAPH_LEVELS } from '../types';
import { parseCsv, toCsv } from './to-csv';
import { fromGexf, toGexf } from './to-gexf';
import { fromGraphml, toGraphml } from './to-graphml';
import { fromJson, toJson } from './to-json';

const GOLDEN = join(ROOT, 'packages/graph/test-fixtures/sim-utxo-exchange-drain');
const XSS = '<img src=x onerror=alert(1)>';

describe('exports round-trip', () => {
  it.each(fixtureTraces())(
    'GEXF, GraphML and JSON of %s re-import to the same nodes, edges and amounts',
    (_n, path) => {
      const trace = loadTrace(path);
      for (const level of GRAPH_LEVELS) {
        const g = graphOf(trace, level, 'hop');
        expect(graphDiff(g, fromGexf(toGexf(g))), `gexf ${level}`).toEqual([]);
        expect(graphDiff(g, fromGraphml(toGraphml(g))), `graphml ${level}`).toEqual([]);
        expect(graphDiff(g, fromJson(toJson(g, trace))), `json ${level}`).toEqual([]);
      }
      const g = graphOf(trace, 'address', 'hop');
      expect(fromGexf(toGexf(g)).getAttributes()).toEqual(g.getAttributes());
      expect(fromGraphml(toGraphml(g)).getAttributes()).toEqual(g.getAttributes());
    },
  );

  it.each(fixtureTraces())('CSV of %s has one row per node and per edge, every value as written', (_n, path) => {
    const g = buildGraph(loadTrace(path));
    const { nodes, edges } = toCsv(g);
    const [nh, ...nr] = parseCsv(nodes);
    const [eh, ...er] = parseCsv(edges);
    expect(nr.length).toBe(g.order);
    expect(er.length).toBe(g.size);
    for (const row of er) {
      const key = row[0]!;
      expect(row[1]).toBe(g.source(key));
      expect(row[2]).toBe(g.target(key));
      const a = g.getEdgeAttributes(key) as Record<string, unknown>;
      eh!.slice(3).forEach((c, i) => {
        expect(row[i + 3]).toBe(String(a[c]));
      });
    }
    for (const row of nr) {
      const a = g.getNodeAttributes(row[0]!) as Record<string, unknown>;
      nh!.slice(1).forEach((c, i) => {
        expect(row[i + 1]).toBe(String(a[c]));
      });
    }
  });

  it('escapes chain- and label-supplied text everywhere and still round-trips it', () => {
    const evil = `${XSS} "quoted" & 'single' </svg><script>x</script> tab\there`;
    // the exchange's label name everywhere it appears: labels, stops, summaries
    const trace = parseTrace(
      readFileSync(SIM, 'utf8').replaceAll('"SimExchange deposit address (simulated)"', JSON.stringify(evil)),
    );
    const t0 = trace.transfers[0]!;
    trace.transfers[0] = { ...t0, memo: `${XSS}\nline two\r\u0001` };
    const g = graphOf(trace, 'address', 'hop');
    for (const [name, text] of [
      ['gexf', toGexf(g)],
      ['graphml', toGraphml(g)],
    ] as const) {
      expect(text, name).not.toContain('<img');
      expect(text, name).not.toContain('<script');
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      expect(doc.getElementsByTagName('parsererror').length, name).toBe(0);
    }
    const back = fromGraphml(toGraphml(g));
    expect(back.getNodeAttribute('bcrt1q4qtfqtjsusmnqrs6p6hnvudt0z8clc6ljzjvpy', 'labelName')).toBe(evil);
    expect(back.getEdgeAttribute(t0.id, 'memo')).toBe(`${XSS}\nline two\r\uFFFD`);
    expect(fromGexf(toGexf(g)).getNodeAttribute('bcrt1q4qtfqtjsusmnqrs6p6hnvudt0z8clc6ljzjvpy', 'labelName')).toBe(
      evil,
    );

    const report = buildReport(trace);
    for (const text of [report.html, report.svg]) {
      expect(text).not.toContain('<img');
      expect(text).not.toContain('<script');
      expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
    expect(report.markdown).not.toContain('<img');
    expect(report.markdown).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(report.html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(report.html).not.toMatch(/<script|<link|src="http|href="http/);
    const svgDoc = new DOMParser().parseFromString(report.svg, 'image/svg+xml');
    expect(svgDoc.getElementsByTagName('parsererror').length).toBe(0);
  });
});

describe('golden exports and report of the simulated UTXO case', () => {
  const trace = loadTrace(SIM);
  const g = graphOf(trace, 'address', 'hop');
  const report = buildReport(trace, { svgName: 'report.svg' });
  const files: Record<string, string> = {
    'nodes.csv': exportFiles(g, trace, 'csv')['.nodes.csv']!,
    'edges.csv': exportFiles(g, trace, 'csv')['.edges.csv']!,
    'report.md': report.markdown,
    'report.html': report.html,
    'report.svg': report.svg,
  };
  // The large XML/JSON exports are pinned by their sha256 to keep the repository small.
  const hashed: Record<string, string> = {
    'graph.json': exportFiles(g, trace, 'json')['.graph.json']!,
    'graph.gexf': exportFiles(g, trace, 'gexf')['.gexf']!,
    'graph.graphml': exportFiles(g, trace, 'graphml')['.graphml']!,
  };
  const sums = `${Object.entries(hashed)
    .map(([name, text]) => `${sha256Hex(text)}  ${name}`)
    .join('\n')}\n`;

  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(GOLDEN, name), text);
    writeFileSync(join(GOLDEN, 'SHA256SUMS'), sums);
  }

  it.each(Object.keys(files))('%s is byte-identical to the golden file', (name) => {
    expect(files[name]).toBe(readFileSync(join(GOLDEN, name), 'utf8'));
  });

  it('JSON, GEXF and GraphML match the golden sha256 sums', () => {
    expect(sums).toBe(readFileSync(join(GOLDEN, 'SHA256SUMS'), 'utf8'));
  });

  it('builds the same bytes twice', () => {
    const again = graphOf(trace, 'address', 'hop');
    expect(toGexf(again)).toBe(hashed['graph.gexf']);
    expect(toGraphml(again)).toBe(hashed['graph.graphml']);
    expect(buildReport(trace, { svgName: 'report.svg' }).html).toBe(report.html);
  });
});
