import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGraph, fromGexf, fromGraphml, fromJson } from '@fundflow/graph';
import { readTraceFile } from '@fundflow/graph/node';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers';

const TRACE = join(ROOT, 'fixtures/sim-utxo-exchange-drain/expected.trace.json');

describe('fundflow export / report on the simulated UTXO case', () => {
  it('exports all four formats through the CLI, and GEXF / GraphML / JSON re-import to the same graph', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-export-'));
    const trace = readTraceFile(TRACE);
    const want = buildGraph(trace);
    const files: Record<string, string[]> = {};
    for (const format of ['json', 'csv', 'gexf', 'graphml']) {
      const r = await runCli(['export', TRACE, '--format', format, '-o', join(dir, 'case'), '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ format, level: 'address', nodes: want.order, edges: want.size });
      files[format] = out.files;
    }
    expect(files.csv).toEqual([join(dir, 'case.nodes.csv'), join(dir, 'case.edges.csv')]);
    const back = {
      json: fromJson(readFileSync(files.json![0]!, 'utf8')),
      gexf: fromGexf(readFileSync(files.gexf![0]!, 'utf8')),
      graphml: fromGraphml(readFileSync(files.graphml![0]!, 'utf8')),
    };
    for (const [format, g] of Object.entries(back)) {
      expect(g.order, format).toBe(want.order);
      expect(g.size, format).toBe(want.size);
      want.forEachEdge((k, a, s, t) => {
        expect(g.source(k)).toBe(s);
        expect(g.target(k)).toBe(t);
        expect(g.getEdgeAttribute(k, 'amount')).toBe(a.amount);
        expect(g.getEdgeAttribute(k, 'taint_fifo')).toBe(a.taint_fifo);
        expect(g.getEdgeAttribute(k, 'taint_poison')).toBe(a.taint_poison);
      });
      want.forEachNode((k, a) => expect(g.getNodeAttribute(k, 'cashout_haircut'), format).toBe(a.cashout_haircut));
    }
    const edges = readFileSync(files.csv![1]!, 'utf8').trim().split('\n');
    expect(edges.length).toBe(want.size + 1);
  });

  it('writes a readable report (Markdown, self-contained HTML, SVG) that escapes label text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-report-'));
    const evil = '<img src=x onerror=alert(1)>';
    const path = join(dir, 'evil.trace.json');
    writeFileSync(path, readFileSync(TRACE, 'utf8').replaceAll('"SimMixer (simulated)"', JSON.stringify(evil)));
    const r = await runCli(['report', path, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files).toEqual(['md', 'html', 'svg'].map((x) => join(dir, `evil.report.${x}`)));
    const md = readFileSync(join(dir, 'evil.report.md'), 'utf8');
    const html = readFileSync(join(dir, 'evil.report.html'), 'utf8');
    for (const heading of ['Case', 'Where the money went', 'Cash-out points per policy', 'Flow per hop', 'Timeline']) {
      expect(md).toContain(`## ${heading}`);
      expect(html).toContain(`<h2>${heading}`);
    }
    expect(md).toContain('![hop-layered graph](evil.report.svg)');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(md).not.toContain('<img');
    // the exchange cash-out of the case with its exact amount under fifo
    expect(md).toContain(
      '| bcrt1q4qtfqtjsusmnqrs6p6hnvudt0z8clc6ljzjvpy | SimExchange deposit address (simulated) | exchange | 3.71383396 BTC |',
    );
  });

  it('answers bad flags with exit code 2, a missing file with 1, and --help with examples', async () => {
    const bad = await runCli(['export', TRACE, '--format', 'xml', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('INVALID_ARGUMENT');
    const missing = await runCli(['report', join(ROOT, 'no-such.trace.json'), '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error.code).toBe('NOT_FOUND');
    for (const cmd of ['export', 'report']) {
      const help = await runCli([cmd, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Examples:');
    }
  });
});
