import type { PolicyName, TraceFile } from '@fundflow/core';
import { formatUnits } from '../amount';
import { cashOutPaths } from '../analytics/cash-out-paths';
import { flowByHop } from '../analytics/flow-by-hop';
import { flowPatterns } from '../analytics/flow-patterns';
import { whereDidItGo } from '../analytics/where-did-it-go';
import { assetView, traceAssets } from '../asset-view';
import { buildGraph, tracedPolicies } from '../build-graph';
import { escapeXml } from '../export/xml-text';
import type { GraphLevel } from '../types';
import { renderSvg, shortId } from './render-svg';

export interface ReportOptions {
  /** Policy the flow, path and pattern sections use (default: the trace's first policy). */
  policy?: PolicyName;
  /** x axis of the graph drawing (default `hop`). */
  x?: 'hop' | 'time';
  /** Graph level of the drawing (default `address`). */
  level?: GraphLevel;
  /** Nodes drawn at most (default 400). */
  maxNodes?: number;
  /** Rows per long table before "… n more" (default 50). */
  maxRows?: number;
  /** File name the Markdown uses for the drawing (default `graph.svg`). */
  svgName?: string;
}

export interface Report {
  markdown: string;
  html: string;
  svg: string;
}

/** A report section: a title, an intro, and tables of already formatted cells. */
interface Section {
  title: string;
  text?: string;
  tables: { caption?: string; head: string[]; rows: string[][]; more?: number; right?: number[] }[];
}

/**
 * A case report from a trace file: case summary, where the money went under each policy and the spread between them,
 * cash-out tables per policy, flow per hop, peeling chains and fan-outs, a timeline, and the hop-layered graph as a
 * static SVG. Markdown (the SVG beside it) and a self-contained HTML page (inline CSS and SVG, no scripts, a CSP that
 * forbids everything else). Every chain- and label-supplied string is escaped. Deterministic.
 * @example const { markdown, html, svg } = buildReport(trace, { policy: 'fifo' })
 */
export function buildReport(trace: TraceFile, options: ReportOptions = {}): Report {
  const policies = tracedPolicies(trace);
  const policy = options.policy ?? policies[0] ?? 'fifo';
  const maxRows = options.maxRows ?? 50;
  const { decimals, symbol } = trace.asset;
  const amt = (v: string | bigint) => `${formatUnits(v, decimals)} ${symbol}`;
  const when = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
  // Several assets: amounts of one asset only add up within it, so the drawing shows the trace's own asset.
  const graph = buildGraph(assetView(trace, trace.asset.id), { level: options.level ?? 'address' });
  const svg = renderSvg(graph, { policy, x: options.x ?? 'hop', maxNodes: options.maxNodes ?? 400 });
  const labels = new Map(trace.labels.map((l) => [l.address, l]));
  const name = (address: string) => labels.get(address)?.name ?? '';
  const sections: Section[] = [];
  const cap = <T>(rows: T[]) => ({ rows: rows.slice(0, maxRows), more: Math.max(0, rows.length - maxRows) });

  // Case
  const p = trace.params;
  const window =
    p.since !== undefined || p.until !== undefined
      ? `${p.since !== undefined ? when(p.since) : '…'} – ${p.until !== undefined ? when(p.until) : '…'}`
      : 'all outgoing value';
  sections.push({
    title: 'Case',
    tables: [
      {
        head: ['', ''],
        rows: [
          ['chain / model', `${trace.chain} (${trace.model})`],
          [
            trace.assets ? 'assets' : 'asset',
            (trace.assets ?? [trace.asset])
              .map(
                (a) =>
                  `${a.symbol} (${a.id}, ${a.decimalsKnown === false ? 'unknown decimals: raw units' : `${a.decimals} decimals`})`,
              )
              .join('; '),
          ],
          ['seeds', p.seeds.map((s) => (name(s) ? `${s} (${name(s)})` : s)).join(', ')],
          ['theft window', window],
          ['policies', policies.join(', ')],
          [
            'stop rules',
            `max ${p.maxHops} hops, min amount ${amt(p.minAmount)}, fan-out cap ${p.fanOutCap}, cash-out categories: ${p.stopCategories.join(', ')}`,
          ],
          ...(p.followUntil !== undefined ? [['follow until', when(p.followUntil)]] : []),
          ['engine', `${trace.engine.name} ${trace.engine.version}`],
          [
            'sources',
            trace.sources.map((s) => `${s.kind} ${s.endpoint}${s.network ? ` (${s.network})` : ''}`).join('; '),
          ],
          [
            'label packs',
            trace.labelPacks
              .map((l) => `${l.title ?? l.name} — ${l.source}, as of ${l.asOf}, ${l.count} labels`)
              .join('; ') || 'none',
          ],
          ['graph', `${graph.order} addresses, ${graph.size} transfers`],
        ],
      },
    ],
  });

  const assets = traceAssets(trace);
  for (const id of assets) {
    const view = assetView(trace, id);
    const swappedIn = policies.map((q) => trace.results[q]?.summary.byAsset?.[id]?.swappedIn ?? '0');
    const suffix = assets.length > 1 ? ` — ${view.asset.symbol}` : '';
    sections.push(...assetSections(view, { policies, policy, suffix, swappedIn, name, cap, when }));
  }

  const title = `fundflow case report: ${trace.chain} ${symbol}, seeds ${p.seeds.map(shortId).join(', ')}`;
  const svgName = options.svgName ?? 'graph.svg';
  return {
    markdown: renderMarkdown(title, sections, svgName, policy),
    html: renderHtml(title, sections, svg, policy),
    svg,
  };
}

/** The sections of one asset's flows: where it went, cash-outs, flow per hop, patterns, timeline. */
function assetSections(trace: TraceFile, c: SectionContext): Section[] {
  const { policies, policy, suffix, name, cap, when } = c;
  const { decimals, symbol } = trace.asset;
  const raw = trace.asset.decimalsKnown === false ? ' (raw units)' : '';
  const amt = (v: string | bigint) => `${formatUnits(v, decimals)} ${symbol}${raw}`;
  const sections: Section[] = [];
  // Summary and where the money went
  const where = whereDidItGo(trace);
  sections.push({
    title: `Where the money went${suffix}`,
    text: `Stolen value taken from the seeds, and where each policy says it stopped. The spread is the largest minus the smallest amount over the policies: how much the answer depends on the taint model.`,
    tables: [
      {
        head: ['', ...policies, 'spread'],
        right: policies.map((_, i) => i + 1).concat(policies.length + 1),
        rows: [
          ['stolen', ...policies.map((q) => amt(where.stolen[q] ?? '0')), ''],
          ...(c.swappedIn.some((v) => v !== '0')
            ? [['swapped in (from other assets)', ...c.swappedIn.map((v) => amt(v)), '']]
            : []),
          ...where.byReason.map((r) => [r.reason, ...policies.map((q) => amt(r.amounts[q] ?? '0')), amt(r.spread)]),
          ['hops', ...policies.map((q) => String(trace.results[q]!.summary.maxHop)), ''],
          ['tainted transfers', ...policies.map((q) => String(trace.results[q]!.edges.length)), ''],
        ],
      },
      {
        caption: 'Destinations (cash-out points and the largest other stops), largest first',
        head: ['address', 'label', 'reason', ...policies, 'spread'],
        right: policies.map((_, i) => i + 3).concat(policies.length + 3),
        ...cap(
          where.destinations
            .filter((d) => d.reason !== 'fee')
            .map((d) => [
              d.address,
              d.label ? `${d.label} (${d.category})` : '',
              d.reason,
              ...policies.map((q) => amt(d.amounts[q] ?? '0')),
              amt(d.spread),
            ]),
        ),
      },
    ],
  });

  // Cash-outs per policy
  const tables: Section['tables'] = [];
  for (const q of policies) {
    const paths = cashOutPaths(trace, q, { maxPaths: 1 });
    const per = new Map<string, { amount: bigint; deposits: number; first: number; last: number; path: string }>();
    const time = new Map(trace.transfers.map((t) => [t.id, t.time]));
    for (const c of paths) {
      const t = time.get(c.location) ?? time.get(c.paths[0]?.transfers.at(-1) ?? '') ?? 0;
      let row = per.get(c.address);
      if (row === undefined) {
        row = { amount: 0n, deposits: 0, first: t, last: t, path: '' };
        per.set(c.address, row);
      }
      row.amount += BigInt(c.amount);
      row.deposits++;
      row.first = Math.min(row.first, t);
      row.last = Math.max(row.last, t);
      const first = c.paths[0];
      if (row.path === '' && first !== undefined) {
        row.path = `${first.addresses.length - 1} hops via ${first.addresses.slice(1, -1).slice(0, 3).map(shortId).join(' → ')}${first.addresses.length > 5 ? ' → …' : ''}; carried ≤ ${amt(first.carried)}`;
      }
    }
    const rows = trace.results[q]!.summary.cashOuts.map((c) => {
      const r = per.get(c.address);
      return [
        c.address,
        c.label,
        c.category,
        amt(c.amount),
        String(r?.deposits ?? 0),
        r ? `${when(r.first)} – ${when(r.last)}` : '',
        r?.path ?? '',
      ];
    });
    tables.push({
      caption: `${q}: ${rows.length} cash-out points`,
      head: ['address', 'label', 'category', 'amount', 'deposits', 'first – last deposit', 'a path that feeds it'],
      right: [3, 4],
      ...cap(rows),
    });
  }
  sections.push({ title: `Cash-out points per policy${suffix}`, tables });

  // Flow per hop
  sections.push({
    title: `Flow per hop (${policy})${suffix}`,
    text: 'Value that arrived at each hop, what stopped there (held = unspent, cashed out, other stop reasons), the fees of the transactions that made the hop, and what moved on.',
    tables: [
      {
        head: ['hop', 'transfers', 'addresses', 'received', 'fee', 'held', 'cashed out', 'other stops', 'moved on'],
        right: [0, 1, 2, 3, 4, 5, 6, 7, 8],
        rows: flowByHop(trace, policy).map((r) => [
          String(r.hop),
          String(r.transfers),
          String(r.addresses),
          amt(r.received),
          amt(r.fee),
          amt(r.held),
          amt(r.cashedOut),
          amt(r.otherStops),
          amt(r.movedOn),
        ]),
      },
    ],
  });

  // Patterns
  const patterns = flowPatterns(trace, policy);
  sections.push({
    title: `Patterns (${policy})${suffix}`,
    text: `${patterns.peelChains.length} peeling chains (runs of ≥ 3 one-in two-out steps paying ≤ 25 % each), ${patterns.fanOuts.length} fan-outs (≥ 5 receivers).`,
    tables: [
      {
        caption: 'Peeling chains',
        head: ['start', 'steps', 'hops', 'entered', 'peeled off', 'to receivers', 'remainder went to'],
        right: [1, 3, 4, 5],
        ...cap(
          patterns.peelChains.map((c) => [
            shortId(c.start),
            String(c.steps),
            `${c.firstHop}–${c.lastHop}`,
            amt(c.entered),
            amt(c.peeled),
            String(c.peeledTo),
            c.remainderTo,
          ]),
        ),
      },
      {
        caption: 'Fan-outs',
        head: ['at', 'from', 'hop', 'transfers', 'receivers', 'total'],
        right: [2, 3, 4, 5],
        ...cap(
          patterns.fanOuts.map((f) => [
            shortId(f.at),
            name(f.from) ? `${f.from} (${name(f.from)})` : f.from,
            String(f.hop),
            String(f.transfers),
            String(f.receivers),
            amt(f.total),
          ]),
        ),
      },
    ],
  });

  // Timeline
  const result = trace.results[policy]!;
  const byId = new Map(trace.transfers.map((t) => [t.id, t]));
  const events: { time: number; what: string; amount: bigint; where: string; id: string }[] = [];
  for (const e of result.edges) {
    if (e.hop !== 1) continue;
    const t = byId.get(e.transfer);
    if (t)
      events.push({ time: t.time, what: 'theft', amount: BigInt(e.amount), where: `${t.from} → ${t.to}`, id: t.id });
  }
  for (const s of result.stops) {
    if (s.reason !== 'cash-out') continue;
    const t = byId.get(s.location) ?? [...(trace.transfers ?? [])].find((x) => x.to === s.address);
    events.push({
      time: t?.time ?? 0,
      what: `cash-out (${s.category ?? ''})`,
      amount: BigInt(s.amount),
      where: `${s.address}${s.label ? ` (${s.label})` : ''}`,
      id: s.location,
    });
  }
  events.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  sections.push({
    title: `Timeline (${policy})${suffix}`,
    text: 'The theft transfers and every cash-out, in time order (UTC).',
    tables: [
      {
        head: ['time', 'event', 'amount', 'where', 'transfer'],
        right: [2],
        ...cap(events.map((e) => [when(e.time), e.what, amt(e.amount), e.where, e.id])),
      },
    ],
  });

  return sections;
}

interface SectionContext {
  policies: PolicyName[];
  policy: PolicyName;
  /** Appended to section titles (` — SDOL`) when the trace has several assets. */
  suffix: string;
  /** Per policy (in `policies` order): stolen value of this asset that came from swaps. */
  swappedIn: string[];
  name: (address: string) => string;
  cap: <T>(rows: T[]) => { rows: T[]; more: number };
  when: (t: number) => string;
}

const GRAPH_TEXT = (policy: string) =>
  `Seeds at the left, one column per hop; edge width by the amount traced under ${policy}; node colour by label category; thick outline = cash-out point. Large graphs show the seeds, the labelled addresses and the addresses that moved the most.`;

function md(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|#]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`))
    .replace(/\r?\n/g, ' ');
}

function renderMarkdown(title: string, sections: Section[], svgName: string, policy: string): string {
  const out: string[] = [`# ${md(title)}`, ''];
  for (const s of sections) {
    out.push(`## ${md(s.title)}`, '');
    if (s.text) out.push(md(s.text), '');
    for (const t of s.tables) {
      if (t.caption) out.push(`**${md(t.caption)}**`, '');
      if (t.rows.length === 0) {
        out.push('(none)', '');
        continue;
      }
      out.push(`| ${t.head.map(md).join(' | ')} |`);
      out.push(`|${t.head.map((_, i) => (t.right?.includes(i) ? ' ---: ' : ' --- ')).join('|')}|`);
      for (const r of t.rows) out.push(`| ${r.map(md).join(' | ')} |`);
      if (t.more) out.push('', `… and ${t.more} more`);
      out.push('');
    }
  }
  out.push('## Graph', '', md(GRAPH_TEXT(policy)), '', `![hop-layered graph](${svgName})`, '');
  return out.join('\n');
}

const CSS = `body{font-family:system-ui,sans-serif;margin:2em;color:#111;max-width:1400px}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;word-break:break-all}
th{background:#f3f3f3}td.r{text-align:right;white-space:nowrap;word-break:normal}
caption{text-align:left;font-weight:bold;padding:4px 0}
.graph{overflow:auto;border:1px solid #ddd}`;

function renderHtml(title: string, sections: Section[], svg: string, policy: string): string {
  const e = escapeXml;
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${e(title)}</h1>`,
  ];
  for (const s of sections) {
    out.push(`<h2>${e(s.title)}</h2>`);
    if (s.text) out.push(`<p>${e(s.text)}</p>`);
    for (const t of s.tables) {
      if (t.rows.length === 0) {
        out.push(`<p>${t.caption ? `<b>${e(t.caption)}</b>: ` : ''}none</p>`);
        continue;
      }
      out.push('<table>');
      if (t.caption) out.push(`<caption>${e(t.caption)}</caption>`);
      if (t.head.some((h) => h !== '')) out.push(`<tr>${t.head.map((h) => `<th>${e(h)}</th>`).join('')}</tr>`);
      for (const r of t.rows) {
        out.push(`<tr>${r.map((c, i) => `<td${t.right?.includes(i) ? ' class="r"' : ''}>${e(c)}</td>`).join('')}</tr>`);
      }
      out.push('</table>');
      if (t.more) out.push(`<p>… and ${t.more} more</p>`);
    }
  }
  out.push(
    '<h2>Graph</h2>',
    `<p>${e(GRAPH_TEXT(policy))}</p>`,
    `<div class="graph">`,
    svg,
    '</div>',
    '</body>',
    '</html>',
    '',
  );
  return out.join('\n');
}
