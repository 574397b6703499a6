import { type PolicyName, parseTrace } from '@fundflow/core';
import Sigma from 'sigma';
import { extremityArrow, pathCurved, pathLine } from 'sigma/rendering';
import type { EdgeDisplayData, NodeDisplayData } from 'sigma/types';
import { byId, el, fill } from './dom';
import {
  buildViewModel,
  CATEGORY_COLORS,
  cashOutRows,
  colorCategory,
  computeVisibility,
  edgeWidth,
  type FlowPathResult,
  formatAmount,
  formatTime,
  labelsOf,
  nodeLabel,
  nodeSize,
  parseAmountInput,
  searchNodes,
  shortAddress,
  sizeValue,
  transfersOf,
  type ViewModel,
  type Visibility,
  widestPathFromSeed,
} from './model';
import './style.css';

/** One bundled case, as listed in `cases/index.json` (written by the fixtures plugin in vite.config.ts). */
interface CaseEntry {
  name: string;
  chain: string;
  description: string;
  file: string;
}

/** What tests (and a curious analyst in the console) can read: `window.__fundflow`. */
export interface ViewerTestState {
  ready: boolean;
  error: string | null;
  trace: string | null;
  nodes: number;
  edges: number;
  seeds: string[];
  policies: PolicyName[];
  policy: PolicyName | null;
  selected: string | null;
  filters: { minAmount: string; search: string };
  visible: { nodes: number; edges: number };
  searchHits: string[];
  path: { nodes: string[]; edges: string[]; carried: string } | null;
  cashOuts: { address: string; amount: string }[];
  /** Graph coordinates (after the hop layout) of every node. */
  positions(): Record<string, { x: number; y: number }>;
  /** Where a node is drawn, in CSS pixels of the page (sigma's graphToViewport plus the container's offset). */
  screenPosition(node: string): { x: number; y: number } | null;
}

declare global {
  interface Window {
    __fundflow: ViewerTestState;
  }
}

const DIM_NODE = '#e4e6e8';
const DIM_EDGE = '#f0f1f2';
const TAINTED_EDGE = 'rgba(214, 96, 77, 0.55)';
/** Categories whose labels are always drawn (where the money came from, who took it); sigma places the rest. */
const FORCED_LABELS = new Set(['victim', 'attacker']);
const CLEAN_EDGE = '#c9ced4';
const PATH_EDGE = '#c0182a';
const MAX_TRANSFER_ROWS = 300;

const container = byId<HTMLDivElement>('graph');
const caseSelect = byId<HTMLSelectElement>('case');
const fileInput = byId<HTMLInputElement>('file');
const policySelect = byId<HTMLSelectElement>('policy');
const minInput = byId<HTMLInputElement>('min');
const searchInput = byId<HTMLInputElement>('search');
const statusEl = byId('status');
const panel = byId('panel');
const cashoutTable = byId<HTMLTableElement>('cashouts');
const cashoutPolicy = byId('cashout-policy');
const legend = byId('legend');
const caseInfo = byId('case-info');

let cases: CaseEntry[] = [];
let vm: ViewModel | undefined;
/** The part of the sigma instance used outside mountRenderer (its full generic type is specific to the graph). */
interface Renderer {
  kill(): void;
  getNodeDisplayData(node: string): NodeDisplayData | undefined;
  graphToViewport(c: { x: number; y: number }): { x: number; y: number };
}
let renderer: Renderer | undefined;
let traceName: string | null = null;
let policy: PolicyName | undefined;
let minAmount = 0n;
let search = '';
let selected: string | undefined;
let path: FlowPathResult | undefined;
let visibility: Visibility = { nodes: new Set(), edges: new Set() };
let hits = new Set<string>();
let baseNode = new Map<string, { color: string; size: number; label: string }>();
let baseEdgeSize = new Map<string, number>();

const test: ViewerTestState = {
  ready: false,
  error: null,
  trace: null,
  nodes: 0,
  edges: 0,
  seeds: [],
  policies: [],
  policy: null,
  selected: null,
  filters: { minAmount: '0', search: '' },
  visible: { nodes: 0, edges: 0 },
  searchHits: [],
  path: null,
  cashOuts: [],
  positions() {
    const out: Record<string, { x: number; y: number }> = {};
    vm?.graph.forEachNode((n, a) => {
      out[n] = { x: a.x ?? 0, y: a.y ?? 0 };
    });
    return out;
  },
  screenPosition(node) {
    if (renderer === undefined || vm === undefined || !vm.graph.hasNode(node)) return null;
    if (renderer.getNodeDisplayData(node) === undefined) return null;
    const a = vm.graph.getNodeAttributes(node);
    const p = renderer.graphToViewport({ x: a.x ?? 0, y: a.y ?? 0 });
    const r = container.getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  },
};
window.__fundflow = test;

function syncTestState(): void {
  test.trace = traceName;
  test.nodes = vm?.graph.order ?? 0;
  test.edges = vm?.graph.size ?? 0;
  test.seeds = vm?.seeds ?? [];
  test.policies = vm?.policies ?? [];
  test.policy = policy ?? null;
  test.selected = selected ?? null;
  test.filters = { minAmount: minAmount.toString(), search };
  test.visible = { nodes: visibility.nodes.size, edges: visibility.edges.size };
  test.searchHits = [...hits];
  test.path = path ? { nodes: path.nodes, edges: path.edges, carried: path.carried.toString() } : null;
  test.cashOuts =
    vm && policy ? cashOutRows(vm.trace, policy).map((r) => ({ address: r.address, amount: r.amount })) : [];
}

function setStatus(text: string, error = false): void {
  statusEl.textContent = text;
  statusEl.className = error ? 'error' : '';
  test.error = error ? text : null;
}

/** Keeps the view (policy, selection, filters) in the address bar so a link reopens it. */
function writeUrl(): void {
  const u = new URL(window.location.href);
  const set = (k: string, v: string | undefined) => (v ? u.searchParams.set(k, v) : u.searchParams.delete(k));
  set('trace', traceName ?? undefined);
  set('policy', policy);
  set('node', selected);
  set('min', minAmount > 0n ? minInput.value.trim() : undefined);
  set('q', search || undefined);
  window.history.replaceState(null, '', u);
}

// ---- loading ---------------------------------------------------------------------------------------------------

async function loadCaseList(): Promise<void> {
  try {
    const res = await fetch('cases/index.json');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    cases = (await res.json()) as CaseEntry[];
  } catch {
    cases = [];
  }
  for (const c of cases) caseSelect.append(el('option', { value: c.name }, `${c.name} (${c.chain})`));
}

/** `?trace=` takes a bundled case name or a URL (same origin: the CSP allows no other). */
function traceUrl(param: string): string {
  const c = cases.find((x) => x.name === param);
  return c !== undefined ? c.file : param;
}

async function openFromUrl(param: string): Promise<void> {
  setStatus(`loading ${param}…`);
  try {
    const res = await fetch(traceUrl(param));
    if (!res.ok) throw new Error(`could not fetch ${param} (HTTP ${res.status})`);
    show(await res.text(), param);
  } catch (e) {
    fail(e);
  }
}

function fail(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  setStatus(message, true);
  test.ready = true;
}

function show(text: string, name: string): void {
  const model = buildViewModel(parseTrace(text));
  vm = model;
  traceName = name;
  caseSelect.value = cases.some((c) => c.name === name) ? name : '';
  const params = new URL(window.location.href).searchParams;
  const wanted = params.get('policy');
  policy = model.policies.find((p) => p === wanted) ?? model.policies[0];
  fill(policySelect, ...model.policies.map((p) => el('option', { value: p }, p)));
  if (policy) policySelect.value = policy;
  minInput.value = params.get('min') ?? '';
  minAmount = parseAmountInput(minInput.value, model.decimals) ?? 0n;
  searchInput.value = params.get('q') ?? '';
  search = searchInput.value.trim();
  hits = new Set(searchNodes(model.graph, search));

  computeBaseStyles(model);
  visibility = computeVisibility(model.graph, { minAmount });
  mountRenderer(model);
  renderLegend(model);
  renderCaseInfo(model, name);
  renderCashOuts();
  const node = params.get('node');
  select(node !== null && model.graph.hasNode(node) ? node : undefined);
  test.ready = true;
}

function computeBaseStyles(model: ViewModel): void {
  const g = model.graph;
  let maxReceived = 0n;
  let maxWeight = 0;
  g.forEachNode((_n, a) => {
    const r = BigInt(sizeValue(a));
    if (r > maxReceived) maxReceived = r;
  });
  g.forEachEdge((_e, a) => {
    if (a.drawWeight > maxWeight) maxWeight = a.drawWeight;
  });
  baseNode = new Map();
  g.forEachNode((n, a) => {
    baseNode.set(n, {
      color: CATEGORY_COLORS[colorCategory(a.category)],
      size: nodeSize(sizeValue(a), maxReceived),
      label: nodeLabel(a),
    });
  });
  baseEdgeSize = new Map();
  g.forEachEdge((e, a) => {
    baseEdgeSize.set(e, edgeWidth(a.drawWeight, maxWeight));
  });
}

// ---- drawing ---------------------------------------------------------------------------------------------------

/** Nodes to keep bright while a search or a path is showing; undefined = everything bright. */
function focusSet(): Set<string> | undefined {
  if (hits.size === 0 && path === undefined) return undefined;
  const f = new Set(hits);
  for (const n of path?.nodes ?? []) f.add(n);
  if (selected !== undefined) f.add(selected);
  return f;
}

function mountRenderer(model: ViewModel): void {
  renderer?.kill();
  const graph = model.graph;
  let focus = focusSet();
  let pathEdges = new Set<string>();
  const nodeReducer = (node: string): Partial<NodeDisplayData> => {
    const b = baseNode.get(node);
    const out: Partial<NodeDisplayData> = { color: b?.color ?? '#999', size: b?.size ?? 3, label: b?.label ?? node };
    if (!visibility.nodes.has(node)) out.visibility = 'hidden';
    if (focus !== undefined && !focus.has(node)) {
      out.color = DIM_NODE;
      out.labelVisibility = 'hidden';
    } else if (
      focus !== undefined ||
      FORCED_LABELS.has(graph.getNodeAttribute(node, 'category')) ||
      graph.getNodeAttribute(node, 'seed')
    ) {
      out.labelVisibility = 'visible';
      out.zIndex = 2;
    }
    if (node === selected) out.highlighted = true;
    return out;
  };
  const edgeReducer = (edge: string): Partial<EdgeDisplayData> => {
    const a = graph.getEdgeAttributes(edge);
    const traced = policy !== undefined && (a[`taint_${policy}`] ?? '0') !== '0';
    const out: Partial<EdgeDisplayData> = {
      color: traced ? TAINTED_EDGE : CLEAN_EDGE,
      size: baseEdgeSize.get(edge) ?? 1,
      parallelPath: 'curved',
    };
    if (!visibility.edges.has(edge)) out.visibility = 'hidden';
    if (pathEdges.has(edge)) {
      out.color = PATH_EDGE;
      out.size = Math.max(2.5, out.size ?? 1);
      out.zIndex = 2;
    } else if (focus !== undefined) {
      out.color = DIM_EDGE;
    }
    return out;
  };
  const r = new Sigma(graph, container, {
    primitives: {
      edges: { paths: [pathLine(), pathCurved()], extremities: [extremityArrow()], defaultHead: 'arrow' },
    },
    settings: {
      enableNodeDrag: false,
      // v4 defaults to sizes in graph units; the hop layout's units are large, so size nodes and edges in pixels.
      itemSizesReference: 'screen',
      renderEdgeLabels: false,
      stagePadding: 40,
      labelRenderedSizeThreshold: 7,
    },
    nodeReducer,
    edgeReducer,
  });
  r.on('clickNode', ({ node }) => select(node));
  r.on('clickStage', () => select(undefined));
  renderer = r;
  refresh = () => {
    focus = focusSet();
    pathEdges = new Set(path?.edges ?? []);
    r.refresh();
  };
}

let refresh: () => void = () => {};

// ---- interaction -----------------------------------------------------------------------------------------------

function select(node: string | undefined): void {
  selected = node;
  path =
    node !== undefined && vm !== undefined && policy !== undefined
      ? widestPathFromSeed(vm.graph, policy, node)
      : undefined;
  renderPanel();
  refresh();
  updateStatus();
  writeUrl();
}

function updateStatus(): void {
  if (vm === undefined) return;
  const bits = [
    `${vm.graph.order} nodes · ${vm.graph.size} edges`,
    `showing ${visibility.nodes.size} · ${visibility.edges.size}`,
  ];
  if (search !== '') bits.push(`${hits.size} match “${search}”`);
  setStatus(bits.join(' — '));
  syncTestState();
}

function applyFilters(): void {
  if (vm === undefined) return;
  const m = parseAmountInput(minInput.value, vm.decimals);
  minInput.setCustomValidity(m === undefined ? `a number with at most ${vm.decimals} decimals` : '');
  minAmount = m ?? minAmount;
  search = searchInput.value.trim();
  hits = new Set(searchNodes(vm.graph, search));
  visibility = computeVisibility(vm.graph, { minAmount });
  refresh();
  updateStatus();
  writeUrl();
}

policySelect.addEventListener('change', () => {
  policy = (vm?.policies.find((p) => p === policySelect.value) ?? policy) as PolicyName | undefined;
  renderCashOuts();
  select(selected);
});
minInput.addEventListener('input', applyFilters);
searchInput.addEventListener('input', applyFilters);
caseSelect.addEventListener('change', () => {
  if (caseSelect.value === '') return;
  const u = new URL(window.location.href);
  u.search = '';
  u.searchParams.set('trace', caseSelect.value);
  window.history.replaceState(null, '', u);
  void openFromUrl(caseSelect.value);
});
fileInput.addEventListener('change', () => {
  const f = fileInput.files?.[0];
  if (f === undefined) return;
  f.text().then(
    (text) => {
      const u = new URL(window.location.href);
      u.search = '';
      window.history.replaceState(null, '', u);
      try {
        show(text, f.name);
        traceName = null; // a local file cannot be reopened from a link
        writeUrl();
      } catch (e) {
        fail(e);
      }
    },
    (e: unknown) => fail(e),
  );
});

// ---- side panel (text only: every chain- and label-supplied string goes in through textContent) -----------------

function nodeButton(address: string): HTMLButtonElement {
  const b = el('button', { class: 'link mono', type: 'button', title: address }, shortAddress(address));
  b.addEventListener('click', () => select(address));
  return b;
}

function renderPanel(): void {
  if (vm === undefined || selected === undefined) {
    fill(panel, el('p', { class: 'hint' }, 'Click a node to inspect it.'));
    return;
  }
  const model = vm;
  const a = model.graph.getNodeAttributes(selected);
  const address = a.address;
  const copy = el('button', { type: 'button', id: 'copy' }, 'Copy');
  copy.addEventListener('click', () => {
    void navigator.clipboard?.writeText(address).then(() => {
      copy.textContent = 'Copied';
    });
  });
  const parts: Node[] = [
    el('h2', {}, a.seed ? 'Seed address' : `Address · hop ${a.hop}`),
    el('p', {}, el('span', { class: 'mono', id: 'address' }, address), ' ', copy),
  ];

  const labels = labelsOf(model.trace, address);
  parts.push(el('h2', {}, 'Labels'));
  if (labels.length === 0) parts.push(el('p', { class: 'hint' }, 'No label.'));
  else {
    parts.push(
      el(
        'table',
        { id: 'labels' },
        el('tr', {}, el('th', {}, 'name'), el('th', {}, 'category'), el('th', {}, 'source · as of · confidence')),
        ...labels.map((l) =>
          el(
            'tr',
            {},
            el('td', {}, l.name),
            el('td', {}, l.category),
            el('td', {}, `${l.source} · ${l.asOf || 'no date'} · ${l.confidence}`),
          ),
        ),
      ),
    );
  }

  parts.push(el('h2', {}, 'Totals'));
  const totals = el(
    'table',
    { id: 'totals' },
    el('tr', {}, el('th', {}, ''), el('th', {}, 'in'), el('th', {}, 'out'), el('th', {}, 'cash-out')),
    el(
      'tr',
      {},
      el('td', {}, 'all transfers'),
      el('td', { class: 'num' }, formatAmount(a.received, model)),
      el('td', { class: 'num' }, formatAmount(a.sent, model)),
      el('td', {}, ''),
    ),
  );
  for (const p of model.policies) {
    totals.append(
      el(
        'tr',
        {},
        el('td', {}, `traced, ${p}`),
        el('td', { class: 'num' }, formatAmount(a[`in_${p}`] ?? '0', model)),
        el('td', { class: 'num' }, formatAmount(a[`out_${p}`] ?? '0', model)),
        el('td', { class: 'num' }, formatAmount(a[`cashout_${p}`] ?? '0', model)),
      ),
    );
  }
  parts.push(totals);

  if (policy !== undefined) {
    parts.push(el('h2', {}, `Path from the seed (${policy})`));
    if (path === undefined) parts.push(el('p', { class: 'hint', id: 'path' }, 'No traced value reached this address.'));
    else if (path.edges.length === 0) parts.push(el('p', { id: 'path' }, 'This is a seed.'));
    else {
      const p = el(
        'p',
        { id: 'path' },
        `${path.edges.length} hops, carried at most ${formatAmount(path.carried, model)}: `,
      );
      path.nodes.forEach((n, i) => {
        if (i > 0) p.append(' → ');
        p.append(nodeButton(n));
      });
      parts.push(p);
    }
  }

  const rows = policy !== undefined ? transfersOf(model, address, policy) : [];
  parts.push(el('h2', {}, `Transfers (${rows.length})`));
  const table = el(
    'table',
    { id: 'transfers' },
    el(
      'tr',
      {},
      el('th', {}, 'time'),
      el('th', {}, ''),
      el('th', {}, 'amount / traced'),
      el('th', {}, 'counterparty'),
      el('th', {}, 'tx · rule'),
    ),
  );
  for (const t of rows.slice(0, MAX_TRANSFER_ROWS)) {
    table.append(
      el(
        'tr',
        {},
        el('td', {}, formatTime(t.time)),
        el('td', {}, t.direction),
        el(
          'td',
          { class: 'num' },
          formatAmount(t.amount, model),
          el('br'),
          t.traced !== undefined ? formatAmount(t.traced, model) : 'not traced',
        ),
        el('td', {}, nodeButton(t.counterparty)),
        el('td', {}, el('span', { class: 'mono' }, t.txid), el('br'), t.rule || '—'),
      ),
    );
    if (t.memo !== '') table.append(el('tr', {}, el('td', { colspan: '5', class: 'memo' }, `message: ${t.memo}`)));
  }
  parts.push(table);
  if (rows.length > MAX_TRANSFER_ROWS)
    parts.push(el('p', { class: 'hint' }, `… ${rows.length - MAX_TRANSFER_ROWS} more`));
  fill(panel, ...parts);
}

function renderCashOuts(): void {
  if (vm === undefined || policy === undefined) return;
  const model = vm;
  cashoutPolicy.textContent = `(${policy})`;
  const rows = cashOutRows(model.trace, policy);
  fill(
    cashoutTable,
    el('tr', {}, el('th', {}, 'address'), el('th', {}, 'label'), el('th', {}, 'amount')),
    ...rows.map((r) =>
      el(
        'tr',
        {},
        el('td', {}, model.graph.hasNode(r.address) ? nodeButton(r.address) : r.address),
        el('td', {}, r.label),
        el('td', { class: 'num' }, formatAmount(r.amount, model)),
      ),
    ),
  );
  syncTestState();
}

function renderLegend(model: ViewModel): void {
  const counts = new Map<string, number>();
  model.graph.forEachNode((_n, a) => {
    const c = colorCategory(a.category);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  });
  const items = Object.entries(CATEGORY_COLORS).map(([cat, color]) => {
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = color;
    return el('li', {}, swatch, `${cat} (${counts.get(cat) ?? 0})`);
  });
  items.push(el('li', {}, 'size: value received (seed: sent)'), el('li', {}, 'width: amount moved'));
  fill(legend, ...items);
}

function renderCaseInfo(model: ViewModel, name: string): void {
  const entry = cases.find((c) => c.name === name);
  const t = model.trace;
  fill(
    caseInfo,
    `${name} · ${t.chain} · ${t.asset.symbol} · seeds: ${t.params.seeds.map(shortAddress).join(', ')}`,
    ...(entry !== undefined ? [el('br'), entry.description] : []),
  );
}

// ---- start -----------------------------------------------------------------------------------------------------

async function start(): Promise<void> {
  await loadCaseList();
  const param = new URL(window.location.href).searchParams.get('trace');
  if (param !== null && param !== '') await openFromUrl(param);
  else {
    setStatus(cases.length > 0 ? 'Pick a case or open a trace file.' : 'Open a trace file.');
    test.ready = true;
  }
}

void start();
