import { type ChainSource, type PolicyName, parseTrace, redactUrl } from '@fundflow/core';
import { assetView, flowByHop, forceLayout, formatUnits, traceAssets } from '@fundflow/graph';
import Sigma from 'sigma';
import { extremityArrow, pathCurved, pathLine } from 'sigma/rendering';
import type { EdgeDisplayData, NodeDisplayData } from 'sigma/types';
import { connectAllowed, connectSources } from './csp';
import { byId, el, fill } from './dom';
import {
  addExpansion,
  type CaseSourceSpec,
  caseSource,
  EXPANDED_RULE,
  type ExpandedTransfer,
  type ExpansionRecord,
  expandErrorText,
  LIVE_KINDS,
  type LiveKind,
  type LiveProgress,
  type LiveSettings,
  liveDefaults,
  liveEndpoint,
  liveSource,
  liveSpec,
  loadCaseCassette,
  NotInBrowserError,
  readNextHop,
  splitExpansions,
  withExpansions,
  withoutSecret,
} from './expand';
import { type Explorer, explorerFor } from './explorer';
import { type LabelCandidate, type LabelPlacement, placeLabels } from './labels';
import {
  type AssetInfo,
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
import { defaultFraming, drawPreview, type PreviewEdge, type PreviewNode, type Projector } from './preview';
import './style.css';

/** One bundled case, as listed in `cases/index.json` (written by the fixtures plugin in vite.config.ts). */
interface CaseEntry {
  name: string;
  chain: string;
  description: string;
  file: string;
}

type LayoutName = 'layered' | 'force';

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
  layout: LayoutName;
  selected: string | null;
  filters: {
    minAmount: string;
    search: string;
    from: number | null;
    to: number | null;
    asset: string | null;
    dust: string;
    hideLabelled: boolean;
  };
  /** Earliest and latest transfer time of the trace (the time sliders' ends). */
  timeRange: { min: number; max: number } | null;
  assets: { id: string; symbol: string; transfers: number }[];
  visible: { nodes: number; edges: number };
  searchHits: string[];
  path: { nodes: string[]; edges: string[]; carried: string } | null;
  cashOuts: { address: string; amount: string }[];
  /** The per-hop flow panel's rows under the current policy (base units). */
  hopFlow: { hop: number; received: string; movedOn: string; held: string; cashedOut: string }[];
  /** Name of the explorer the panel links to (`mempool.space`, …); null when the chain has none. */
  explorer: string | null;
  /**
   * "Expand one hop": the nodes and edges (transfer ids) added as expanded, not traced; whether an expansion runs;
   * the last expansion's message (progress, result or error) and whether it was an error.
   */
  expanded: { nodes: string[]; edges: string[]; running: boolean; message: string | null; error: boolean };
  /**
   * Where "Expand one hop" reads: the recorded case (offline) or live (kind, endpoint; whether an API key is set —
   * never the key itself), and how many expansions "Save + expansions" would write.
   */
  expandSource: { mode: 'cassette' | 'live'; kind: string; endpoint: string; hasKey: boolean; saved: number };
  /**
   * performance.now() when the first frame of the current trace with the whole graph drawn (every node and edge, the
   * placed labels) was on screen: sigma's first render, or on big graphs (over `PREVIEW_EDGES` edges) the 2D-canvas
   * picture of the same drawing shown while sigma renders behind it (see `mountPreview`); then the compositor frame
   * that carries it (see `afterPresented`). null before.
   */
  firstFrameAt: number | null;
  /** What the first frame was: sigma's render, or the 2D picture (big graphs). */
  firstFrameKind: 'sigma' | 'picture' | null;
  /**
   * performance.now() when sigma's first frame (WebGL: what clicks pick from, what the camera redraws) was on screen;
   * the same as firstFrameAt unless the first frame was the picture. `ready` is set then.
   */
  sigmaFrameAt: number | null;
  /** Frames sigma rendered since the current trace opened. */
  frames: number;
  /**
   * Frames of a moving camera shown as the last full frame's bitmap, moved and scaled (big graphs: sigma does not
   * render while the camera moves; see `SNAPSHOT_PAN_EDGES`), since the current trace opened.
   */
  snapshotFrames: number;
  /** Milliseconds spent opening the current trace: parseTrace, buildViewModel (graph + layout), the rest (draw). */
  timings: { parse: number; model: number; draw: number } | null;
  /** Graph coordinates (after the hop layout) of every node. */
  positions(): Record<string, { x: number; y: number }>;
  /** Where a node is drawn, in CSS pixels of the page (sigma's graphToViewport plus the container's offset). */
  screenPosition(node: string): { x: number; y: number } | null;
  /**
   * Reads or sets sigma's camera (x, y, ratio in sigma's framed-graph units); for the pan/zoom benchmark.
   * `moving: true` tells sigma the camera is being dragged (as its mouse captor does during a drag), so that
   * `hideEdgesOnMove` / `hideLabelsOnMove` apply; `moving: false` ends the gesture and redraws everything.
   */
  camera(
    state?: { x?: number; y?: number; ratio?: number },
    options?: { moving?: boolean },
  ): { x: number; y: number; ratio: number } | null;
  /** Resolves with performance.now() once sigma's next render is on screen (see `afterPresented`). */
  nextFrame(): Promise<number>;
  /**
   * Start (true) or stop (false) logging every frame as [render start, render end, on screen, kind] (kind: sigma
   * rendered the graph, or the snapshot bitmap was drawn moved with the camera).
   */
  recordFrames(on: boolean): FrameRecord[];
}

export type FrameRecord = [number, number, number, 'sigma' | 'snapshot'];

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
/** With more search hits than this, their labels go through sigma's label grid instead of all being forced. */
const MAX_FORCED_HITS = 25;
const CLEAN_EDGE = '#c9ced4';
const PATH_EDGE = '#c0182a';
/** Expanded, not traced: grey, apart from the traced (red) and clean (light grey) edges. */
const EXPANDED_EDGE = 'rgba(110, 117, 125, 0.8)';
const EXPANDED_NODE = '#8a9099';
const MAX_TRANSFER_ROWS = 300;
const MAX_PNG_SIDE = 8192;
/** Above this many edges, edges are drawn straight (no curved parallel edges). */
const BIG_GRAPH_EDGES = 10_000;
/**
 * Above this many edges, the camera moves a bitmap of the last full frame (an overlay canvas) instead of having sigma
 * draw every frame of a pan or zoom; sigma draws once when the camera stops (see README, Performance).
 */
const SNAPSHOT_PAN_EDGES = 5_000;
/**
 * Above this many edges the first frame of a trace is a 2D-canvas picture of the graph (nodes, edges, placed labels)
 * drawn before sigma exists; sigma indexes the graph and renders it afterwards, in separate tasks, with its canvas
 * hidden until the GPU has finished the frame (see `mountPreview`, README Performance).
 */
const PREVIEW_EDGES = SNAPSHOT_PAN_EDGES;
/** Nodes drawn smaller than this (radius in pixels) get no label unless they matter (labelRank). */
const LABEL_MIN_RADIUS = 3.5;

const container = byId<HTMLDivElement>('graph');
const caseSelect = byId<HTMLSelectElement>('case');
const fileInput = byId<HTMLInputElement>('file');
const policySelect = byId<HTMLSelectElement>('policy');
const layoutSelect = byId<HTMLSelectElement>('layout');
const minInput = byId<HTMLInputElement>('min');
const searchInput = byId<HTMLInputElement>('search');
const fromInput = byId<HTMLInputElement>('from');
const toInput = byId<HTMLInputElement>('to');
const fromText = byId('from-text');
const toText = byId('to-text');
const assetBox = byId('asset-box');
const assetSelect = byId<HTMLSelectElement>('asset');
const dustInput = byId<HTMLInputElement>('dust');
const dustText = byId('dust-text');
const labelledInput = byId<HTMLInputElement>('hide-labelled');
const resetFilters = byId<HTMLButtonElement>('reset-filters');
const exportJson = byId<HTMLButtonElement>('export-json');
const exportExpanded = byId<HTMLButtonElement>('export-expanded');
const exportPngButton = byId<HTMLButtonElement>('export-png');
const pngW = byId<HTMLInputElement>('png-w');
const pngH = byId<HTMLInputElement>('png-h');
const statusEl = byId('status');
const panel = byId('panel');
const cashoutTable = byId<HTMLTableElement>('cashouts');
const cashoutPolicy = byId('cashout-policy');
const hopTable = byId<HTMLTableElement>('hop-flow');
const hopPolicy = byId('hop-policy');
const legend = byId('legend');
const caseInfo = byId('case-info');
const modeCassette = byId<HTMLInputElement>('mode-cassette');
const modeLive = byId<HTMLInputElement>('mode-live');
const liveForm = byId('live-form');
const liveKindSelect = byId<HTMLSelectElement>('live-kind');
const liveEndpointInput = byId<HTMLInputElement>('live-endpoint');
const liveKeyInput = byId<HTMLInputElement>('live-key');
const liveNote = byId('live-note');

let cases: CaseEntry[] = [];
let vm: ViewModel | undefined;
/** The text of the open trace file, as loaded: what "Save trace JSON" writes back. */
let loadedText = '';
/** File name for "Save trace JSON". */
let loadedName = 'trace.json';
/** The part of the sigma instance used outside createRenderer (its full generic type is specific to the graph). */
interface Renderer {
  kill(): void;
  refresh(opts?: { partialGraph?: { nodes: string[] }; schedule?: boolean }): unknown;
  render(): unknown;
  on(event: 'afterRender' | 'beforeRender', f: () => void): unknown;
  getStageCanvas(): HTMLCanvasElement;
  getMouseCaptor(): { isMoving: boolean; draggedEvents?: number; currentWheelDirection?: number };
  scheduleRender(): unknown;
  getNodeDisplayData(node: string): NodeDisplayData | undefined;
  graphToViewport(c: { x: number; y: number }): { x: number; y: number };
  framedGraphToViewport(c: { x: number; y: number }): { x: number; y: number };
  viewportToFramedGraph(
    c: { x: number; y: number },
    override?: { cameraState: { x: number; y: number; ratio: number; angle: number } },
  ): { x: number; y: number };
  getDimensions(): { width: number; height: number };
  scaleSize(size: number): number;
  getCamera(): {
    getState(): { x: number; y: number; ratio: number; angle: number };
    setState(s: Partial<{ x: number; y: number; ratio: number }>): unknown;
    isAnimating(): boolean;
    on(event: 'updated', f: () => void): unknown;
  };
  /** The labels placeLabels chose for this renderer's viewport; undefined until the first plan. */
  labels?: Map<string, LabelPlacement>;
}
let renderer: Renderer | undefined;
let traceName: string | null = null;
let policy: PolicyName | undefined;
let layout: LayoutName = 'layered';
/** Node positions per layout for the open trace (ForceAtlas2's computed on first use). */
let positions = new Map<LayoutName, Map<string, { x: number; y: number }>>();
let minAmount = 0n;
let search = '';
let timeFrom: number | undefined;
let timeTo: number | undefined;
let asset: string | undefined;
let hideDust = false;
let hideLabelled = false;
let selected: string | undefined;
let path: FlowPathResult | undefined;
let explorer: Explorer | undefined;
let visibility: Visibility = { nodes: new Set(), edges: new Set() };
let hits = new Set<string>();
let baseNode = new Map<string, { color: string; size: number; label: string }>();
let baseEdgeSize = new Map<string, number>();
/** Nodes kept bright while a search or a path shows (undefined: all) and the path's edges; read by the reducers. */
let focus: Set<string> | undefined;
let pathEdges = new Set<string>();
/** "Expand one hop" state of the open trace: added nodes, added edges (transfer id → transfer), per-node messages. */
let expandedNodes = new Set<string>();
let expandedEdges = new Map<string, ExpandedTransfer>();
let expandNotes = new Map<string, { text: string; error: boolean }>();
let expanding: { node: string; run: number; abort: AbortController } | undefined;
let expandRuns = 0;
let lastExpandNote: { text: string; error: boolean } | undefined;
/**
 * Every expansion of the open trace file (all assets of an all-asset trace), in order: what "Save + expansions"
 * writes as the `viewerExpansions` section, and what reopening such a file (or switching back to an asset) redraws.
 */
let expansionLog: ExpansionRecord[] = [];
/** Per bundled case: its spec and source over the replayed cassette (fetched and verified once). */
const caseSources = new Map<string, Promise<{ spec: CaseSourceSpec; source: ChainSource }>>();
/** "Expand one hop" reads the recorded case (bundled cases) or a live endpoint. */
let expandMode: 'cassette' | 'live' = 'live';
let liveSettings: LiveSettings = { kind: 'esplora', endpoint: '' };
/**
 * The live API key: held in this variable only (and the password field while it shows) — never written to storage,
 * the URL, a saved file, the console or a message; the transport redacts it from every URL and error it makes.
 */
let apiKey = '';
let frameLog: FrameRecord[] | undefined;
/** Resolvers of `nextFrame()` waiting for the next sigma render to reach the screen. */
let frameWaiters: ((at: number) => void)[] = [];
let frameStart = 0;

const test: ViewerTestState = {
  ready: false,
  error: null,
  trace: null,
  nodes: 0,
  edges: 0,
  seeds: [],
  policies: [],
  policy: null,
  layout: 'layered',
  selected: null,
  filters: { minAmount: '0', search: '', from: null, to: null, asset: null, dust: '0', hideLabelled: false },
  timeRange: null,
  assets: [],
  visible: { nodes: 0, edges: 0 },
  searchHits: [],
  path: null,
  cashOuts: [],
  hopFlow: [],
  explorer: null,
  expanded: { nodes: [], edges: [], running: false, message: null, error: false },
  expandSource: { mode: 'live', kind: 'esplora', endpoint: '', hasKey: false, saved: 0 },
  firstFrameAt: null,
  firstFrameKind: null,
  sigmaFrameAt: null,
  frames: 0,
  snapshotFrames: 0,
  timings: null,
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
  camera(state, options) {
    if (renderer === undefined) return null;
    const camera = renderer.getCamera();
    if (options?.moving !== undefined) {
      const captor = renderer.getMouseCaptor();
      const ended = captor.isMoving && !options.moving;
      captor.isMoving = options.moving;
      if (ended && state === undefined) renderer.scheduleRender();
    }
    if (state !== undefined) camera.setState(state);
    const { x, y, ratio } = camera.getState();
    return { x, y, ratio };
  },
  nextFrame() {
    return new Promise<number>((done) => frameWaiters.push(done));
  },
  recordFrames(on) {
    const log = frameLog ?? [];
    frameLog = on ? [] : undefined;
    return log;
  },
};
window.__fundflow = test;

/**
 * Calls `f` once the frame that is being produced now is on screen. A render (sigma draws synchronously into its
 * WebGL canvas) only reaches the screen when the compositor commits the next frame — with software compositing
 * (`--disable-gpu`) that commit reads the canvas back (`GPU stall due to ReadPixels`) and waits for the WebGL work.
 * The commit runs on the main thread right after the animation-frame callbacks, so a task queued from the next
 * animation frame runs once it is done: at most one frame interval late, never early.
 */
function afterPresented(f: () => void): void {
  requestAnimationFrame(() => setTimeout(f, 0));
}

/** cashOutRows / flowByHop of the open trace per policy (they walk every transfer: 20k-node traces are slow). */
let panelCache = new Map<string, unknown>();
function cached<T>(key: string, compute: () => T): T {
  if (!panelCache.has(key)) panelCache.set(key, compute());
  return panelCache.get(key) as T;
}
const cashOutsOf = (model: ViewModel, p: PolicyName) => cached(`cashouts:${p}`, () => cashOutRows(model.trace, p));
const hopFlowOf = (model: ViewModel, p: PolicyName) => cached(`hopflow:${p}`, () => flowByHop(model.trace, p));

/** The dust threshold of the open trace: its `params.minAmount` (base units). */
function dustThreshold(): bigint {
  return vm !== undefined ? BigInt(vm.trace.params.minAmount) : 0n;
}

function currentFilters() {
  return {
    minAmount,
    from: timeFrom,
    to: timeTo,
    asset,
    dust: hideDust ? dustThreshold() : 0n,
    hideLabelled,
  };
}

function syncTestState(): void {
  test.trace = traceName;
  test.nodes = vm?.graph.order ?? 0;
  test.edges = vm?.graph.size ?? 0;
  test.seeds = vm?.seeds ?? [];
  test.policies = vm?.policies ?? [];
  test.policy = policy ?? null;
  test.layout = layout;
  test.selected = selected ?? null;
  test.filters = {
    minAmount: minAmount.toString(),
    search,
    from: timeFrom ?? null,
    to: timeTo ?? null,
    asset: asset ?? viewAsset ?? null,
    dust: (hideDust ? dustThreshold() : 0n).toString(),
    hideLabelled,
  };
  test.timeRange = vm?.timeRange ?? null;
  test.assets = (vm?.assets ?? []).map((a) => ({ id: a.id, symbol: a.symbol, transfers: a.transfers }));
  test.visible = { nodes: visibility.nodes.size, edges: visibility.edges.size };
  test.searchHits = [...hits];
  test.path = path ? { nodes: path.nodes, edges: path.edges, carried: path.carried.toString() } : null;
  test.cashOuts = vm && policy ? cashOutsOf(vm, policy).map((r) => ({ address: r.address, amount: r.amount })) : [];
  test.hopFlow =
    vm && policy
      ? hopFlowOf(vm, policy).map((r) => ({
          hop: r.hop,
          received: r.received,
          movedOn: r.movedOn,
          held: r.held,
          cashedOut: r.cashedOut,
        }))
      : [];
  test.explorer = explorer?.name ?? null;
  test.expanded = {
    nodes: [...expandedNodes],
    edges: [...expandedEdges.keys()],
    running: expanding !== undefined,
    message: lastExpandNote?.text ?? null,
    error: lastExpandNote?.error ?? false,
  };
  test.expandSource = {
    mode: expandMode,
    kind: liveSettings.kind,
    endpoint: liveSettings.endpoint,
    hasKey: apiKey !== '',
    saved: expansionLog.length,
  };
}

function setStatus(text: string, error = false): void {
  statusEl.textContent = text;
  statusEl.className = error ? 'error' : '';
  test.error = error ? text : null;
}

/** Keeps the view (policy, layout, selection, filters) in the address bar so a link reopens it. */
function writeUrl(): void {
  const u = new URL(window.location.href);
  const set = (k: string, v: string | undefined) => (v ? u.searchParams.set(k, v) : u.searchParams.delete(k));
  set('trace', traceName ?? undefined);
  set('policy', policy);
  set('layout', layout === 'layered' ? undefined : layout);
  set('node', selected);
  set('min', minAmount > 0n ? minInput.value.trim() : undefined);
  set('q', search || undefined);
  set('from', timeFrom?.toString());
  set('to', timeTo?.toString());
  set('asset', asset ?? viewAsset);
  set('dust', hideDust ? 'hide' : undefined);
  set('labelled', hideLabelled ? 'hide' : undefined);
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

/**
 * `?trace=` takes a bundled case name or a same-origin URL. (The CSP's connect-src also lists the public APIs live
 * expansion reads, so the origin is checked here: a link cannot make the viewer fetch a trace from elsewhere.)
 */
function traceUrl(param: string): string {
  const c = cases.find((x) => x.name === param);
  if (c !== undefined) return c.file;
  if (new URL(param, window.location.href).origin !== window.location.origin) {
    throw new Error(`?trace= opens bundled cases and files of this viewer's own origin only, not ${param}`);
  }
  return param;
}

async function openFromUrl(param: string): Promise<void> {
  setStatus(`loading ${param}…`);
  try {
    const res = await fetch(traceUrl(param));
    if (!res.ok) throw new Error(`could not fetch ${param} (HTTP ${res.status})`);
    const text = await res.text();
    const base = param.split(/[/?#]/).filter(Boolean).pop() ?? 'trace';
    show(text, param, base.endsWith('.json') ? base : `${base}.trace.json`);
  } catch (e) {
    fail(e);
  }
}

/** Opens a local file (file picker or drag and drop): the URL loses its `trace` (a link cannot reopen it). */
function openFile(f: File): void {
  setStatus(`reading ${f.name}…`);
  f.text().then(
    (text) => {
      const u = new URL(window.location.href);
      u.search = '';
      window.history.replaceState(null, '', u);
      try {
        show(text, f.name, f.name);
        traceName = null;
        writeUrl();
        syncTestState();
      } catch (e) {
        fail(e);
      }
    },
    (e: unknown) => fail(e),
  );
}

function fail(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  setStatus(message, true);
  test.ready = true;
}

/** The asset shown of an all-asset trace (undefined for single-asset traces). */
let viewAsset: string | undefined;

/**
 * Opens a trace file's text (`chosenAsset`: the same file again, showing another asset of an all-asset trace). A
 * `viewerExpansions` section (written by "Save + expansions") is split off: the trace keeps its own bytes, the
 * expansions are drawn again.
 */
function show(fileText: string, name: string, fileName: string, chosenAsset?: string): void {
  const t0 = performance.now();
  const reopened = chosenAsset !== undefined;
  const { traceText: text, records } = reopened
    ? { traceText: fileText, records: expansionLog }
    : splitExpansions(fileText);
  const parsed = parseTrace(text);
  const t1 = performance.now();
  // All-asset traces are shown one asset at a time (amounts of different assets never add up): `?asset=` or the
  // trace's own asset first.
  const ids = parsed.assets ? traceAssets(parsed) : undefined;
  const wantedAsset = chosenAsset ?? new URL(window.location.href).searchParams.get('asset') ?? '';
  viewAsset = ids ? (ids.includes(wantedAsset) ? wantedAsset : ids[0]) : undefined;
  const model = buildViewModel(viewAsset !== undefined ? assetView(parsed, viewAsset) : parsed, parsed);
  const t2 = performance.now();
  vm = model;
  panelCache = new Map();
  expandedNodes = new Set();
  expandedEdges = new Map();
  expandNotes = new Map();
  expanding?.abort.abort();
  expanding = undefined;
  lastExpandNote = undefined;
  expansionLog = records;
  // The saved expansions of the asset shown, in the order they were made.
  for (const r of expansionLog) {
    if (r.asset === viewAsset && model.graph.hasNode(r.node)) addExpanded(model, r.node, r.transfers);
  }
  loadedText = text;
  loadedName = fileName;
  traceName = name;
  explorer = explorerFor(model.trace);
  positions = new Map([['layered', currentPositions(model)]]);
  if (!reopened) setupExpandSource(model);
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
  setupFilterInputs(model, params);
  exportJson.disabled = false;
  exportPngButton.disabled = false;
  exportExpanded.disabled = expansionLog.length === 0;

  computeBaseStyles(model);
  for (const n of expandedNodes) baseNode.set(n, expandedNodeStyle(model, n));
  for (const e of expandedEdges.keys()) baseEdgeSize.set(e, 1);
  visibility = computeVisibility(model.graph, currentFilters());
  test.firstFrameAt = null;
  test.firstFrameKind = null;
  test.sigmaFrameAt = null;
  test.frames = 0;
  test.snapshotFrames = 0;
  layout = 'layered';
  layoutSelect.value = 'layered';
  // The selection (and its path) first: sigma's constructor draws the graph once, with everything in place.
  const node = params.get('node');
  selected = node !== null && model.graph.hasNode(node) ? node : undefined;
  path = selected !== undefined && policy !== undefined ? widestPathFromSeed(model.graph, policy, selected) : undefined;
  // Big graphs: the picture first, sigma after it (`ready` once sigma's frame is on screen); drawn once the panels
  // are filled, so that the graph pane has its final size.
  const preview = model.graph.size > PREVIEW_EDGES;
  if (!preview) mountRenderer(model);
  renderLegend(model);
  renderCaseInfo(model, name);
  renderCashOuts();
  renderPanel();
  updateStatus();
  writeUrl();
  if (preview) mountPreview(model);
  if (params.get('layout') === 'force') void switchLayout('force');
  test.timings = { parse: t1 - t0, model: t2 - t1, draw: performance.now() - t2 };
  test.ready = !preview;
}

/** Fills the time sliders, the asset list and the dust / labelled checkboxes from the trace and the URL. */
function setupFilterInputs(model: ViewModel, params: URLSearchParams): void {
  const range = model.timeRange;
  for (const input of [fromInput, toInput]) {
    input.disabled = range === undefined;
    input.min = String(range?.min ?? 0);
    input.max = String(range?.max ?? 0);
    input.step = '1';
  }
  const clampTime = (v: string | null): number | undefined => {
    if (v === null || range === undefined || !/^\d+$/.test(v)) return undefined;
    return Math.min(range.max, Math.max(range.min, Number(v)));
  };
  timeFrom = clampTime(params.get('from'));
  timeTo = clampTime(params.get('to'));
  fromInput.value = String(timeFrom ?? range?.min ?? 0);
  toInput.value = String(timeTo ?? range?.max ?? 0);
  showTimes();

  assetBox.hidden = model.assets.length < 2;
  fill(
    assetSelect,
    ...(model.perAsset ? [] : [el('option', { value: '' }, 'all assets')]),
    ...model.assets.map((a) => el('option', { value: a.id }, `${a.symbol} (${a.transfers})`)),
  );
  if (model.perAsset) {
    asset = undefined;
    assetSelect.value = viewAsset ?? '';
  } else {
    const wantedAsset = params.get('asset');
    asset = model.assets.some((a) => a.id === wantedAsset) ? (wantedAsset ?? undefined) : undefined;
    assetSelect.value = asset ?? '';
  }

  const dust = BigInt(model.trace.params.minAmount);
  dustInput.disabled = dust === 0n;
  hideDust = dust > 0n && params.get('dust') === 'hide';
  dustInput.checked = hideDust;
  dustText.textContent = dust > 0n ? `(< ${formatAmount(dust, model)})` : '(no threshold)';
  hideLabelled = params.get('labelled') === 'hide';
  labelledInput.checked = hideLabelled;
}

function showTimes(): void {
  fromText.textContent = fromInput.disabled ? '' : formatTime(Number(fromInput.value));
  toText.textContent = toInput.disabled ? '' : formatTime(Number(toInput.value));
}

function currentPositions(model: ViewModel): Map<string, { x: number; y: number }> {
  const m = new Map<string, { x: number; y: number }>();
  model.graph.forEachNode((n, a) => {
    m.set(n, { x: a.x ?? 0, y: a.y ?? 0 });
  });
  return m;
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
  if (selected !== undefined) {
    f.add(selected);
    for (const t of expandedEdges.values()) {
      if (t.from === selected) f.add(t.to);
      else if (t.to === selected) f.add(t.from);
    }
  }
  return f;
}

/**
 * A sigma instance over the model's graph in `target`, styled by the reducers (which read the module's view state:
 * filters, focus, path). Used for the page and for PNG export.
 */
function createRenderer(model: ViewModel, target: HTMLElement, labels?: Map<string, LabelPlacement>): Renderer {
  const graph = model.graph;
  const plan: { labels?: Map<string, LabelPlacement> | undefined } = { labels };
  // Curved edges cost sigma many segments per edge (every edge, as one program draws all paths): straight lines only
  // on big graphs.
  const big = graph.size > BIG_GRAPH_EDGES;
  const { nodeReducer, edgeReducer } = styleReducers(graph, plan);
  const r = new Sigma(graph, target, {
    primitives: {
      edges: {
        paths: big ? [pathLine()] : [pathLine(), pathCurved()],
        extremities: [extremityArrow()],
        defaultHead: 'arrow',
      },
    },
    settings: {
      enableNodeDrag: false,
      // No edge hover / click: no edge picking pass.
      enableEdgeEvents: false,
      // Big graphs: while the camera moves (drag, wheel zoom), draw nodes only; edges and labels come back when it
      // stops. On a software GPU the edges are most of a frame's cost (see README, Performance).
      hideEdgesOnMove: big,
      hideLabelsOnMove: big,
      // v4 defaults to sizes in graph units; the hop layout's units are large, so size nodes and edges in pixels.
      itemSizesReference: 'screen',
      renderEdgeLabels: false,
      stagePadding: STAGE_PADDING,
      labelRenderedSizeThreshold: 7,
      // Until placeLabels has run (and for whatever it does not decide): one label per 160 px cell at the default
      // zoom (the biggest node of the cell wins), more as one zooms in. Long entity names are cut in nodeLabel.
      labelGridCellSize: 160,
      labelDensity: 0.6,
    },
    nodeReducer,
    edgeReducer,
  }) as unknown as Renderer;
  Object.defineProperty(r, 'labels', {
    get: () => plan.labels,
    set: (v: Map<string, LabelPlacement> | undefined) => (plan.labels = v),
  });
  return r;
}

/**
 * The page's styles as sigma reducers (they read the module's view state: filters, focus, path, selection; labels
 * from `plan`): used by sigma and by the first-frame picture.
 */
function styleReducers(graph: ViewModel['graph'], plan: { labels?: Map<string, LabelPlacement> | undefined }) {
  const big = graph.size > BIG_GRAPH_EDGES;
  const nodeReducer = (node: string): Partial<NodeDisplayData> => {
    const b = baseNode.get(node);
    const out: Partial<NodeDisplayData> = { color: b?.color ?? '#999', size: b?.size ?? 3, label: b?.label ?? node };
    if (!visibility.nodes.has(node)) out.visibility = 'hidden';
    const rank = labelRank(graph, node);
    if (focus !== undefined && !focus.has(node)) {
      out.color = DIM_NODE;
      out.labelVisibility = 'hidden';
    } else if (plan.labels !== undefined) {
      // Placed without overlap by placeLabels (after each camera move); the grid is not used.
      const p = plan.labels.get(node);
      out.labelVisibility = p !== undefined ? 'visible' : 'hidden';
      if (p !== undefined) {
        out.labelPosition = p.position;
        if (p.short) out.label = shortAddress(graph.getNodeAttribute(node, 'address'));
      }
      if (rank < 5) out.zIndex = 2;
    } else if (rank < 5) {
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
      color: traced ? TAINTED_EDGE : expandedEdges.has(edge) ? EXPANDED_EDGE : CLEAN_EDGE,
      size: baseEdgeSize.get(edge) ?? 1,
    };
    if (!big) out.parallelPath = 'curved';
    if (!visibility.edges.has(edge)) out.visibility = 'hidden';
    if (pathEdges.has(edge)) {
      out.color = PATH_EDGE;
      out.size = Math.max(2.5, out.size ?? 1);
      out.zIndex = 2;
    } else if (focus !== undefined && !(expandedEdges.has(edge) && graph.hasExtremity(edge, selected ?? ''))) {
      // The selected node's expanded edges stay grey-dark: the expansion is what the analyst just asked for.
      out.color = DIM_EDGE;
    }
    return out;
  };
  return { nodeReducer, edgeReducer };
}

/**
 * How much a node's label matters (lower first): the selected node, the path, seeds, victim and attacker, search hits
 * (when few), then the rest (5).
 */
function labelRank(graph: ViewModel['graph'], node: string): number {
  if (node === selected) return 0;
  if (path?.nodes.includes(node)) return 1;
  const a = graph.getNodeAttributes(node);
  if (a.seed) return 2;
  if (FORCED_LABELS.has(a.category)) return 3;
  if (hits.has(node) && hits.size <= MAX_FORCED_HITS) return 4;
  return 5;
}

const measure = document.createElement('canvas').getContext('2d');
const labelWidths = new Map<string, number>();
/** Width of a label as sigma draws it (14 px sans-serif), cached. */
function labelWidth(text: string): number {
  let w = labelWidths.get(text);
  if (w === undefined) {
    if (measure !== null) measure.font = '14px sans-serif';
    w = measure !== null ? measure.measureText(text).width : text.length * 7.5;
    labelWidths.set(text, w);
  }
  return w;
}

/**
 * Chooses the labels `r` draws for its current camera (placeLabels: no two overlap) and returns the nodes whose label
 * visibility changed. Only nodes that are shown, not dimmed and have at least labelRenderedSizeThreshold's size on
 * screen (or matter: rank < 5) take part.
 */
function planLabels(r: Projector, model: ViewModel): string[] {
  const g = model.graph;
  const candidates: LabelCandidate[] = [];
  g.forEachNode((n, a) => {
    if (!visibility.nodes.has(n) || (focus !== undefined && !focus.has(n))) return;
    const b = baseNode.get(n);
    if (b === undefined) return;
    const rank = labelRank(g, n);
    const radius = r.scaleSize(b.size);
    if (rank === 5 && radius < LABEL_MIN_RADIUS) return;
    const p = r.graphToViewport({ x: a.x ?? 0, y: a.y ?? 0 });
    // Widths are measured only for the candidates placeLabels gets to (it stops after `max` labels).
    candidates.push({
      key: n,
      x: p.x,
      y: p.y,
      radius,
      get width() {
        return labelWidth(b.label);
      },
      get shortWidth() {
        return labelWidth(shortAddress(a.address));
      },
      priority: rank,
      size: b.size,
    });
  });
  const dims = r.getDimensions();
  // About one label per 11,000 px² (≈ 60 on a laptop-sized graph pane): enough to read, not a wall of text.
  const next = placeLabels(candidates, { ...dims, max: Math.max(20, Math.round((dims.width * dims.height) / 11_000)) });
  const before = r.labels;
  r.labels = next;
  if (before === undefined) return g.nodes();
  const changed: string[] = [];
  for (const n of before.keys()) if (!next.has(n)) changed.push(n);
  for (const [n, p] of next) {
    const q = before.get(n);
    if (q === undefined || q.position !== p.position || q.short !== p.short) changed.push(n);
  }
  return changed;
}

/**
 * Big graphs (over PREVIEW_EDGES edges): the first frame is a 2D-canvas picture of the graph as sigma will draw it
 * (every node and edge, arrow heads, the labels placeLabels chooses at sigma's default framing), painted in the task
 * that built the model. sigma comes after it is on screen, in tasks of its own: the constructor indexes the graph
 * (its render suppressed), then one render processes and draws it with the WebGL canvas hidden, and the picture
 * stays (moved with the camera like the pan bitmap) until the GPU has finished that frame (see snapshotPan).
 */
function mountPreview(model: ViewModel): void {
  renderer?.kill();
  renderer = undefined;
  panCleanup?.();
  panCleanup = undefined;
  refresh = () => {};
  focus = focusSet();
  pathEdges = new Set(path?.edges ?? []);
  const run = ++mountRuns;
  const width = container.offsetWidth;
  const height = container.offsetHeight;
  const graph = model.graph;
  const points: { x: number; y: number }[] = [];
  graph.forEachNode((_n, a) => {
    points.push({ x: a.x ?? 0, y: a.y ?? 0 });
  });
  const framing = defaultFraming(points, width, height, STAGE_PADDING);
  planLabels(framing, model);
  const { nodeReducer, edgeReducer } = styleReducers(graph, { labels: framing.labels });
  const nodes = new Map<string, PreviewNode>();
  graph.forEachNode((n, a) => {
    const d = nodeReducer(n);
    if (d.visibility === 'hidden') return;
    const p = framing.graphToViewport({ x: a.x ?? 0, y: a.y ?? 0 });
    const placed = d.labelVisibility === 'visible' && framing.labels?.has(n) === true;
    nodes.set(n, {
      x: p.x,
      y: p.y,
      size: d.size ?? 3,
      color: d.color ?? '#999',
      label: d.label ?? undefined,
      position: placed ? framing.labels?.get(n)?.position : undefined,
      zIndex: d.zIndex ?? 0,
    });
  });
  const edges: PreviewEdge[] = [];
  graph.forEachEdge((e, _a, source, target) => {
    const d = edgeReducer(e);
    if (d.visibility === 'hidden') return;
    edges.push({ source, target, color: d.color ?? CLEAN_EDGE, size: d.size ?? 1, zIndex: d.zIndex ?? 0 });
  });
  const picture = el('canvas', { class: 'pan-overlay first-frame' });
  drawPreview(picture, width, height, window.devicePixelRatio || 1, nodes, edges);
  container.append(picture);
  afterPresented(() => {
    if (run !== mountRuns) {
      picture.remove();
      return;
    }
    test.firstFrameAt = performance.now();
    test.firstFrameKind = 'picture';
    // sigma in a task of its own (then its render in another): the picture stays responsive meanwhile.
    setTimeout(() => {
      if (run === mountRuns) mountRenderer(model, { picture, labels: framing.labels });
      else picture.remove();
    }, 0);
  });
}

let mountRuns = 0;
const STAGE_PADDING = 40;

function mountRenderer(
  model: ViewModel,
  deferred?: { picture: HTMLCanvasElement; labels: Map<string, LabelPlacement> | undefined },
): void {
  renderer?.kill();
  panCleanup?.();
  panCleanup = undefined;
  const run = ++mountRuns;
  focus = focusSet();
  pathEdges = new Set(path?.edges ?? []);
  const mountStart = performance.now();
  let r: Renderer;
  if (deferred !== undefined) {
    // Index the graph now, render in the next task (sigma's constructor ends with a full render).
    const proto = Sigma.prototype as unknown as { render(): unknown };
    const sigmaRender = proto.render;
    proto.render = function (this: unknown) {
      return this;
    };
    try {
      r = createRenderer(model, container, deferred.labels);
    } finally {
      proto.render = sigmaRender;
    }
    r.getStageCanvas().style.visibility = 'hidden';
  } else r = createRenderer(model, container);
  const sigma = r as unknown as Sigma;
  sigma.on('clickNode', ({ node }) => select(node));
  sigma.on('clickStage', () => select(undefined));
  let firstSigmaFrame = true;
  const rendered = (start: number, kind: 'sigma' | 'snapshot' = 'sigma') => {
    const end = performance.now();
    if (kind === 'sigma') test.frames++;
    else test.snapshotFrames++;
    const log = frameLog;
    const waiters = frameWaiters;
    frameWaiters = [];
    const first = kind === 'sigma' && firstSigmaFrame;
    if (first) firstSigmaFrame = false;
    afterPresented(() => {
      const at = performance.now();
      if (renderer === r && test.firstFrameAt === null) {
        test.firstFrameAt = at;
        test.firstFrameKind = 'sigma';
      }
      if (renderer === r && first) {
        test.sigmaFrameAt = at;
        if (deferred !== undefined) {
          test.ready = true;
          // Labels were placed at the default framing before sigma existed: checked against sigma's own now.
          if (timer === undefined) replan();
        }
      }
      log?.push([start, end, at, kind]);
      for (const w of waiters) w(at);
    });
  };
  r.on('beforeRender', () => {
    frameStart = performance.now();
  });
  const pan = model.graph.size > SNAPSHOT_PAN_EDGES ? snapshotPan(r, rendered) : undefined;
  r.on('afterRender', () => {
    const start = frameStart;
    if (pan !== undefined) pan.rendered(() => rendered(start));
    else rendered(start);
  });
  renderer = r;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const replan = () => {
    timer = undefined;
    if (renderer !== r) return;
    // Still dragging (or a zoom animation runs): labels are hidden on move anyway; wait for the camera to stop.
    if (r.getMouseCaptor().isMoving || r.getCamera().isAnimating()) {
      timer = setTimeout(replan, 120);
      return;
    }
    const changed = planLabels(r, model);
    // Drawn with the next frame (not a synchronous extra one).
    if (changed.length > 0) r.refresh({ partialGraph: { nodes: changed }, schedule: true });
  };
  // Labels are placed again once the camera stops (not on every frame of a pan or zoom).
  r.getCamera().on('updated', () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(replan, 120);
  });
  (r as unknown as Sigma).on('resize', () => {
    if (timer === undefined) timer = setTimeout(replan, 120);
  });
  refresh = () => {
    focus = focusSet();
    pathEdges = new Set(path?.edges ?? []);
    planLabels(r, model);
    r.refresh();
  };
  if (deferred !== undefined && pan !== undefined) {
    // The picture becomes the bitmap the camera moves until sigma's frame is ready; sigma renders next task.
    pan.showPicture(deferred.picture);
    deferred.picture.remove();
    setTimeout(() => {
      if (renderer === r && run === mountRuns) r.render();
    }, 0);
    return;
  }
  // sigma's constructor has already drawn the graph once (a full refresh): that is the first frame.
  if (pan !== undefined) pan.rendered(() => rendered(mountStart));
  else rendered(mountStart);
  // Labels are placed once the first frame is on screen (placing them first would cost a second full refresh).
  afterPresented(() => {
    if (timer === undefined) replan();
  });
}

let refresh: () => void = () => {};

/** Removes the page renderer's snapshotPan overlay and listeners (before the next renderer is mounted). */
let panCleanup: (() => void) | undefined;

/**
 * Big graphs: while the camera moves (drag, inertia, wheel zoom, `camera(…, { moving: true })`), sigma does not
 * render; the last full frame, copied right after sigma drew it, is drawn on an overlay canvas moved and scaled from
 * the camera it was drawn at to the current one. When the camera stops, sigma renders once at the final camera and
 * the overlay goes. On a software GPU a sigma frame of 20k nodes costs a second or more; the bitmap costs
 * milliseconds. sigma's `scheduleRender` (how camera updates, and scheduled refreshes, ask for a frame) is replaced
 * on the instance by one that decides in the animation frame: bitmap while moving, sigma's render otherwise.
 * `rendered(done)` is to be called after every sigma render (it drops the overlay and keeps a full frame's copy, then
 * calls `done`).
 *
 * A render into a hidden WebGL canvas (the first one after `showPicture`, and the one when the camera stops while the
 * bitmap shows) is not waited for: with software compositing, showing the canvas (or copying it) makes the main
 * thread wait until SwiftShader has run the whole frame — seconds here. Instead a WebGL fence is polled between tasks
 * while the bitmap keeps showing; once the GPU is done the canvas is copied and shown (both cheap then) and `done` is
 * called, so the page stays responsive while the frame is shaded.
 */
function snapshotPan(
  r: Renderer,
  onFrame: (start: number, kind: 'snapshot') => void,
): { rendered(done: () => void): void; showPicture(picture: HTMLCanvasElement): void } {
  const stage = r.getStageCanvas();
  const overlay = el('canvas', { class: 'pan-overlay' });
  overlay.hidden = true;
  // Above sigma's WebGL canvas, below its mouse layer (which takes the events).
  stage.after(overlay);
  const listening = new AbortController();
  panCleanup = () => {
    listening.abort();
    overlay.remove();
  };
  const copy = document.createElement('canvas');
  let shot:
    | { camera: { x: number; y: number; ratio: number; angle: number }; width: number; height: number }
    | undefined;
  const captor = r.getMouseCaptor();
  const camera = r.getCamera();
  // As sigma decides whether a render is "on move" (hideEdgesOnMove).
  const moving = () =>
    camera.isAnimating() ||
    captor.isMoving ||
    (captor.draggedEvents ?? 0) > 0 ||
    (captor.currentWheelDirection ?? 0) !== 0;
  let raf = 0;
  let stopTimer: ReturnType<typeof setTimeout> | undefined;
  const alive = () => stage.isConnected;
  const drawBitmap = (): boolean => {
    const { width, height } = r.getDimensions();
    const state = camera.getState();
    if (
      !matrices ||
      shot === undefined ||
      shot.width !== width ||
      shot.height !== height ||
      shot.camera.angle !== state.angle
    )
      return false;
    // Where the snapshot's viewport corners are now (the camera maps framed-graph coordinates linearly).
    const a = r.framedGraphToViewport(r.viewportToFramedGraph({ x: 0, y: 0 }, { cameraState: shot.camera }));
    const b = r.framedGraphToViewport(r.viewportToFramedGraph({ x: width, y: height }, { cameraState: shot.camera }));
    if (overlay.width !== stage.width || overlay.height !== stage.height) {
      overlay.width = stage.width;
      overlay.height = stage.height;
      overlay.style.width = `${width}px`;
      overlay.style.height = `${height}px`;
    }
    const ctx = overlay.getContext('2d');
    if (ctx === null) return false;
    const dpr = stage.width / width;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, overlay.width, overlay.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.drawImage(copy, a.x, a.y, b.x - a.x, b.y - a.y);
    overlay.hidden = false;
    return true;
  };
  const gl = stage.getContext('webgl2');
  /** sigma has rendered once (its camera matrices exist). */
  let matrices = false;
  /** Callers of `rendered` waiting for a hidden frame to be shown (a newer render takes over older waiters). */
  let waiting: (() => void)[] = [];
  let pending = 0;
  /** Draws `source` (sigma's canvas, or the first-frame picture) into the copy, at the stage's size. */
  const copyFrom = (source: HTMLCanvasElement, state: { x: number; y: number; ratio: number; angle: number }) => {
    if (copy.width !== stage.width || copy.height !== stage.height) {
      copy.width = stage.width;
      copy.height = stage.height;
    }
    const ctx = copy.getContext('2d');
    if (ctx === null) return false;
    ctx.clearRect(0, 0, copy.width, copy.height);
    ctx.drawImage(source, 0, 0, copy.width, copy.height);
    const { width, height } = r.getDimensions();
    shot = { camera: { ...state }, width, height };
    return true;
  };
  const takeCopy = (state: { x: number; y: number; ratio: number; angle: number }) => {
    copyFrom(stage, state);
  };
  const hidden = () => stage.style.visibility === 'hidden';
  // While the bitmap shows: once the camera has stopped, sigma draws the final frame.
  const watchStop = () => {
    if (stopTimer !== undefined) clearTimeout(stopTimer);
    stopTimer = setTimeout(() => {
      stopTimer = undefined;
      if (!alive() || overlay.hidden) return;
      if (moving()) watchStop();
      else r.scheduleRender();
    }, 100);
  };
  const frame = () => {
    raf = 0;
    if (!alive()) return;
    const start = performance.now();
    if (moving() && drawBitmap()) {
      onFrame(start, 'snapshot');
      watchStop();
      return;
    }
    // The camera stopped while the bitmap shows: sigma draws behind it (see `rendered`).
    if (!overlay.hidden && drawBitmap()) stage.style.visibility = 'hidden';
    r.render();
  };
  r.scheduleRender = () => {
    if (raf === 0) raf = requestAnimationFrame(frame);
    return r;
  };
  // sigma's own mouse-up refresh (and the viewer's) while the bitmap shows and the camera still moves (inertia):
  // scheduled like a camera frame instead of a synchronous render of the moving graph.
  const sigmaRefresh = r.refresh.bind(r);
  r.refresh = (opts) => (!overlay.hidden && moving() ? sigmaRefresh({ ...opts, schedule: true }) : sigmaRefresh(opts));
  // A click picks nodes from the last sigma render: draw the current camera first when the bitmap is showing.
  const flush = () => {
    if (!alive() || overlay.hidden) return;
    if (raf !== 0) cancelAnimationFrame(raf);
    raf = 0;
    stage.style.visibility = '';
    r.render();
  };
  container.addEventListener('mousedown', flush, { capture: true, signal: listening.signal });
  container.addEventListener('touchstart', flush, { capture: true, passive: true, signal: listening.signal });
  return {
    rendered(done) {
      matrices = true;
      if (raf !== 0) cancelAnimationFrame(raf);
      raf = 0;
      const state = { ...camera.getState() };
      if (hidden() && gl !== null) {
        waiting.push(done);
        const run = ++pending;
        const sync = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
        gl.flush();
        const poll = () => {
          if (!alive() || run !== pending) {
            if (sync !== null) gl.deleteSync(sync);
            return;
          }
          if (sync !== null && gl.getSyncParameter(sync, gl.SYNC_STATUS) !== gl.SIGNALED) {
            setTimeout(poll, 16);
            return;
          }
          if (sync !== null) gl.deleteSync(sync);
          // The drawing buffer was never presented (the canvas was hidden), so it is still readable: copy, show.
          if (!moving()) takeCopy(state);
          stage.style.visibility = '';
          if (!moving()) overlay.hidden = true;
          const dones = waiting;
          waiting = [];
          for (const f of dones) f();
        };
        setTimeout(poll, 16);
        return;
      }
      stage.style.visibility = '';
      overlay.hidden = true;
      // Only a full frame (edges and labels) is worth moving around; the copy is taken while the WebGL drawing buffer
      // is still readable (this task).
      if (!moving()) takeCopy(state);
      const dones = waiting;
      waiting = [];
      pending++;
      for (const f of [...dones, done]) f();
    },
    showPicture(picture) {
      if (!copyFrom(picture, camera.getState())) return;
      // As it is (drawBitmap needs sigma's matrices, computed by its first render).
      const { width, height } = r.getDimensions();
      if (overlay.width !== stage.width || overlay.height !== stage.height) {
        overlay.width = stage.width;
        overlay.height = stage.height;
        overlay.style.width = `${width}px`;
        overlay.style.height = `${height}px`;
      }
      overlay.getContext('2d')?.drawImage(picture, 0, 0, overlay.width, overlay.height);
      overlay.hidden = false;
    },
  };
}

/** Switches between the hop layout and ForceAtlas2 (computed once per trace, from the layered positions). */
async function switchLayout(name: LayoutName): Promise<void> {
  if (vm === undefined) return;
  const model = vm;
  layoutSelect.value = name;
  if (!positions.has(name)) {
    setStatus('laying out with ForceAtlas2…');
    await new Promise((done) => setTimeout(done, 30)); // let the status paint
    if (vm !== model) return;
    const t0 = performance.now();
    forceLayout(model.graph, { iterations: model.graph.order > 5000 ? 40 : 200 });
    positions.set(name, currentPositions(model));
    console.info(`ForceAtlas2: ${model.graph.order} nodes in ${Math.round(performance.now() - t0)} ms`);
  }
  const p = positions.get(name)!;
  model.graph.updateEachNodeAttributes((n, a) => ({ ...a, x: p.get(n)?.x ?? 0, y: p.get(n)?.y ?? 0 }));
  layout = name;
  refresh();
  updateStatus();
  writeUrl();
}

// ---- export ------------------------------------------------------------------------------------------------------

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const nextFrame = () => new Promise<void>((done) => requestAnimationFrame(() => done()));

/**
 * The graph as drawn now (filters, highlights, layout), rendered whole by a second sigma instance at `width` × `height`
 * pixels on a white background: sigma 4 draws everything (labels too) into one WebGL canvas, copied right after a
 * synchronous render.
 */
async function renderPng(model: ViewModel, width: number, height: number): Promise<Blob> {
  const dpr = window.devicePixelRatio || 1;
  const stage = el('div', { class: 'export-stage' });
  stage.style.width = `${Math.ceil(width / dpr)}px`;
  stage.style.height = `${Math.ceil(height / dpr)}px`;
  document.body.append(stage);
  let r: Renderer | undefined;
  try {
    r = createRenderer(model, stage);
    await nextFrame();
    planLabels(r, model);
    await nextFrame();
    r.refresh(); // renders synchronously: the WebGL drawing buffer is readable until this task ends
    const out = document.createElement('canvas');
    out.width = width;
    out.height = height;
    const ctx = out.getContext('2d');
    if (ctx === null) throw new Error('no 2D canvas context');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    const src = r.getStageCanvas();
    ctx.drawImage(src, 0, 0, src.width, src.height, 0, 0, width, height);
    return await new Promise<Blob>((done, reject) =>
      out.toBlob((b) => (b !== null ? done(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
    );
  } finally {
    r?.kill();
    stage.remove();
  }
}

function pngSide(input: HTMLInputElement): number | undefined {
  const v = Number(input.value);
  return Number.isInteger(v) && v >= 100 && v <= MAX_PNG_SIDE ? v : undefined;
}

exportPngButton.addEventListener('click', () => {
  if (vm === undefined) return;
  const w = pngSide(pngW);
  const h = pngSide(pngH);
  if (w === undefined || h === undefined) {
    setStatus(`PNG size: whole pixels from 100 to ${MAX_PNG_SIDE}`, true);
    return;
  }
  exportPngButton.disabled = true;
  setStatus(`rendering a ${w}×${h} PNG…`);
  const base = loadedName.replace(/(\.trace)?\.json$/i, '');
  renderPng(vm, w, h).then(
    (blob) => {
      download(blob, `${base}-${w}x${h}.png`);
      exportPngButton.disabled = false;
      updateStatus();
    },
    (e: unknown) => {
      exportPngButton.disabled = false;
      fail(e);
    },
  );
});

exportJson.addEventListener('click', () => {
  if (vm === undefined) return;
  download(new Blob([loadedText], { type: 'application/json' }), loadedName);
});

// The trace file as loaded plus a `viewerExpansions` section with every expansion (no API key: none is ever kept).
exportExpanded.addEventListener('click', () => {
  if (vm === undefined || expansionLog.length === 0) return;
  const base = loadedName.replace(/(\.expanded)?(\.trace)?\.json$/i, '');
  download(
    new Blob([withExpansions(loadedText, expansionLog)], { type: 'application/json' }),
    `${base}.expanded.trace.json`,
  );
});

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
  if (layout === 'force') bits.push('ForceAtlas2');
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
  const range = vm.timeRange;
  if (range !== undefined) {
    let from = Number(fromInput.value);
    let to = Number(toInput.value);
    if (from > to) [from, to] = [to, from];
    timeFrom = from > range.min ? from : undefined;
    timeTo = to < range.max ? to : undefined;
  }
  showTimes();
  if (vm.perAsset) {
    // Another asset of an all-asset trace: a model of its own.
    if (assetSelect.value !== viewAsset) {
      show(loadedText, traceName ?? '', loadedName, assetSelect.value);
      return;
    }
  } else {
    asset = assetSelect.value === '' ? undefined : assetSelect.value;
  }
  hideDust = dustInput.checked && !dustInput.disabled;
  hideLabelled = labelledInput.checked;
  visibility = computeVisibility(vm.graph, currentFilters());
  refresh();
  updateStatus();
  writeUrl();
}

policySelect.addEventListener('change', () => {
  policy = (vm?.policies.find((p) => p === policySelect.value) ?? policy) as PolicyName | undefined;
  renderCashOuts();
  select(selected);
});
layoutSelect.addEventListener('change', () => {
  void switchLayout(layoutSelect.value === 'force' ? 'force' : 'layered');
});
for (const input of [minInput, searchInput, fromInput, toInput]) input.addEventListener('input', applyFilters);
for (const input of [assetSelect, dustInput, labelledInput]) input.addEventListener('change', applyFilters);
resetFilters.addEventListener('click', () => {
  if (vm === undefined) return;
  minInput.value = '';
  fromInput.value = fromInput.min;
  toInput.value = toInput.max;
  assetSelect.value = '';
  dustInput.checked = false;
  labelledInput.checked = false;
  applyFilters();
});
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
  if (f !== undefined) openFile(f);
});

// Drag and drop a trace file anywhere on the page.
let dragDepth = 0;
const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') === true;
document.addEventListener('dragenter', (e) => {
  if (!carriesFiles(e)) return;
  e.preventDefault();
  dragDepth++;
  document.body.classList.add('dropping');
});
document.addEventListener('dragover', (e) => {
  if (!carriesFiles(e)) return;
  e.preventDefault();
  if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
});
document.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) document.body.classList.remove('dropping');
});
document.addEventListener('drop', (e) => {
  dragDepth = 0;
  document.body.classList.remove('dropping');
  const f = e.dataTransfer?.files[0];
  if (f === undefined) return;
  e.preventDefault();
  openFile(f);
});

// ---- side panel (text only: every chain- and label-supplied string goes in through textContent) -----------------

function nodeButton(address: string): HTMLButtonElement {
  const b = el('button', { class: 'link mono', type: 'button', title: address }, shortAddress(address));
  b.addEventListener('click', () => select(address));
  return b;
}

/** A link to an explorer page: a plain https URL built by explorer.ts, opened without opener or referrer. */
function urlLink(href: string, text: string): HTMLAnchorElement {
  return el('a', { class: 'url', href, target: '_blank', rel: 'noopener noreferrer' }, text);
}

/** Amount in a transfer's own asset (its symbol and decimals), falling back to the trace's asset. */
function assetAmount(units: string, assetId: string, model: ViewModel): string {
  const info: AssetInfo | undefined = model.assets.find((x) => x.id === assetId);
  return formatAmount(units, info ?? model);
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
    el(
      'h2',
      {},
      a.seed
        ? 'Seed address'
        : expandedNodes.has(selected)
          ? 'Address · expanded, not traced'
          : `Address · hop ${a.hop}`,
    ),
    el('p', {}, el('span', { class: 'mono', id: 'address' }, address), ' ', copy),
  ];
  if (explorer !== undefined) {
    const url = explorer.address(address);
    parts.push(el('p', { id: 'explorer' }, `${explorer.name}: `, urlLink(url, url)));
  } else {
    parts.push(el('p', { class: 'hint', id: 'explorer' }, 'No public explorer for this chain (local or simulated).'));
  }

  const labels = labelsOf(model.trace, address);
  parts.push(...expandSection(model, selected));
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
      el('th', {}, 'tx · rule · heuristics'),
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
          assetAmount(t.amount, t.asset, model),
          el('br'),
          t.traced !== undefined ? assetAmount(t.traced, t.asset, model) : 'not traced',
        ),
        el('td', {}, nodeButton(t.counterparty)),
        el(
          'td',
          {},
          explorer !== undefined
            ? el(
                'a',
                {
                  class: 'url mono',
                  href: explorer.tx(t.txid),
                  target: '_blank',
                  rel: 'noopener noreferrer',
                  title: explorer.tx(t.txid),
                },
                t.txid,
              )
            : el('span', { class: 'mono' }, t.txid),
          el('br'),
          t.rule || '—',
          ...t.heuristics.map((h) => el('span', { class: 'heuristic' }, el('br'), h)),
          ...(t.mixed !== '' ? [el('span', { class: 'heuristic' }, el('br'), `mixed: ${t.mixed}`)] : []),
        ),
      ),
    );
    if (t.memo !== '') table.append(el('tr', {}, el('td', { colspan: '5', class: 'memo' }, `message: ${t.memo}`)));
  }
  parts.push(table);
  if (rows.length > MAX_TRANSFER_ROWS)
    parts.push(el('p', { class: 'hint' }, `… ${rows.length - MAX_TRANSFER_ROWS} more`));
  parts.push(...expandedTable(model, address));
  fill(panel, ...parts);
}

// ---- expand one hop ------------------------------------------------------------------------------------------------

/** The open trace is a bundled case (its cassette is in the build). */
function openCase(): string | undefined {
  return traceName !== null && cases.some((c) => c.name === traceName) ? traceName : undefined;
}

/** The connect-src sources of the page's CSP meta tag (scripts/serve.ts sends the same policy as a header). */
function pageConnectSources(): string[] {
  const meta = document.querySelector<HTMLMetaElement>('meta[http-equiv="Content-Security-Policy"]');
  return meta !== null ? connectSources(meta.content) : ["'self'"];
}

/** Why the page cannot connect to `endpoint` under its CSP (undefined: it can), with what to do about it. */
function cspRefusal(endpoint: string): string | undefined {
  let origin: string;
  try {
    origin = new URL(endpoint).origin;
  } catch {
    return undefined; // liveSpec says what is wrong with it
  }
  if (connectAllowed(endpoint, pageConnectSources(), window.location.origin)) return undefined;
  return `the viewer's Content-Security-Policy (connect-src) does not allow ${origin}: serve it with \`pnpm fundflow view <trace.json> --connect ${origin}\` (nothing was sent)`;
}

/** The live form and the mode switch, set from a newly opened trace (the API key is kept: it is the analyst's). */
function setupExpandSource(model: ViewModel): void {
  const isCase = openCase() !== undefined;
  expandMode = isCase ? 'cassette' : 'live';
  modeCassette.disabled = !isCase;
  modeCassette.checked = expandMode === 'cassette';
  modeLive.checked = expandMode === 'live';
  liveSettings = liveDefaults(model.trace);
  liveKindSelect.value = liveSettings.kind;
  liveEndpointInput.value = liveSettings.endpoint;
  showLiveForm();
}

function showLiveForm(): void {
  liveForm.classList.toggle('off', expandMode !== 'live');
  for (const input of [liveKindSelect, liveEndpointInput, liveKeyInput]) input.disabled = expandMode !== 'live';
  const refusal = liveSettings.endpoint.trim() !== '' ? cspRefusal(liveSettings.endpoint.trim()) : undefined;
  liveNote.className = refusal !== undefined ? 'error' : 'hint';
  liveNote.textContent =
    expandMode !== 'live'
      ? 'Reads the bundled case’s recorded answers, offline.'
      : (refusal ??
        (liveSettings.endpoint.trim() === ''
          ? 'Type the endpoint of a node or API for this chain.'
          : `Reads live from this browser (rate limited, 2 retries, 15 s timeout). ${
              liveSettings.kind === 'etherscan' || liveSettings.kind === 'blockscout'
                ? 'The key is sent to that endpoint only and kept in this page’s memory: never stored, never in the URL or a saved file.'
                : `${liveSettings.kind} takes no API key.`
            }`));
}

for (const radio of [modeCassette, modeLive]) {
  radio.addEventListener('change', () => {
    expandMode = modeLive.checked ? 'live' : 'cassette';
    showLiveForm();
    renderPanel();
    syncTestState();
  });
}
liveKindSelect.addEventListener('change', () => {
  const kind = (LIVE_KINDS as readonly string[]).includes(liveKindSelect.value)
    ? (liveKindSelect.value as LiveKind)
    : liveSettings.kind;
  // Follow the kind with its usual endpoint unless the analyst typed one of their own.
  const typed = vm !== undefined && liveSettings.endpoint !== liveEndpoint(liveSettings.kind, vm.trace);
  liveSettings = { kind, endpoint: typed || vm === undefined ? liveSettings.endpoint : liveEndpoint(kind, vm.trace) };
  liveEndpointInput.value = liveSettings.endpoint;
  showLiveForm();
  syncTestState();
});
liveEndpointInput.addEventListener('input', () => {
  liveSettings = { ...liveSettings, endpoint: liveEndpointInput.value.trim() };
  showLiveForm();
  syncTestState();
});
liveKeyInput.addEventListener('input', () => {
  apiKey = liveKeyInput.value.trim();
  syncTestState();
});

/** The panel's "Expand one hop" button (and Cancel while it runs) and status line. */
function expandSection(model: ViewModel, address: string): Node[] {
  const note = expandNotes.get(address);
  const button = el('button', { type: 'button', id: 'expand' }, 'Expand one hop');
  const caseName = openCase();
  const live = expandMode === 'live';
  button.disabled = expanding !== undefined || (!live && caseName === undefined);
  button.addEventListener('click', () => void expandNode(model, address));
  const line = el('p', {}, button);
  if (expanding !== undefined) {
    const cancel = el('button', { type: 'button', id: 'expand-cancel' }, 'Cancel');
    cancel.addEventListener('click', () => expanding?.abort.abort());
    line.append(' ', cancel);
  }
  const status = el(
    'p',
    { id: 'expand-status', class: note?.error ? 'error' : 'hint' },
    note?.text ??
      (expanding !== undefined
        ? `expanding ${shortAddress(expanding.node)}…`
        : live
          ? `Reads this address's next hop live (${liveSettings.kind}, see "Expand through" below).`
          : caseName === undefined
            ? 'Expanding reads the recorded cassette of a bundled case: open one from the case list, or read live.'
            : `Reads this address's next hop from the recorded case (${caseName}), offline.`),
  );
  return [line, status];
}

/** The selected address's expanded transfers (not traced). */
function expandedTable(model: ViewModel, address: string): Node[] {
  const rows = [...expandedEdges.values()]
    .filter((t) => t.from === address || t.to === address)
    .sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (rows.length === 0) return [];
  const table = el(
    'table',
    { id: 'expanded' },
    el(
      'tr',
      {},
      el('th', {}, 'time'),
      el('th', {}, ''),
      el('th', {}, 'amount'),
      el('th', {}, 'counterparty'),
      el('th', {}, 'tx'),
    ),
  );
  for (const t of rows.slice(0, MAX_TRANSFER_ROWS)) {
    const out = t.from === address;
    table.append(
      el(
        'tr',
        { class: 'expanded' },
        el('td', {}, formatTime(t.time)),
        el('td', {}, out ? 'out' : 'in'),
        el('td', { class: 'num' }, assetAmount(t.amount, t.asset, model), el('br'), 'not traced'),
        el('td', {}, nodeButton(out ? t.to : t.from)),
        el('td', {}, el('span', { class: 'mono' }, t.txid)),
      ),
    );
    if (t.memo !== '') table.append(el('tr', {}, el('td', { colspan: '5', class: 'memo' }, `message: ${t.memo}`)));
  }
  const parts: Node[] = [el('h2', {}, `Expanded, not traced (${rows.length})`), table];
  if (rows.length > MAX_TRANSFER_ROWS)
    parts.push(el('p', { class: 'hint' }, `… ${rows.length - MAX_TRANSFER_ROWS} more`));
  return parts;
}

/** The open case's spec and source over its replayed cassette (fetched, verified and built once per case). */
function sourceFor(caseName: string): Promise<{ spec: CaseSourceSpec; source: ChainSource }> {
  let p = caseSources.get(caseName);
  if (p === undefined) {
    p = (async () => {
      const { spec, cassette } = await loadCaseCassette(caseName, async (url) => {
        const res = await fetch(url);
        if (!res.ok) throw new Error(`could not fetch ${url} (HTTP ${res.status})`);
        return res.text();
      });
      return { spec, source: await caseSource(spec, cassette) };
    })();
    caseSources.set(caseName, p);
    // A failure is not cached: the next click tries again.
    p.catch(() => caseSources.delete(caseName));
  }
  return p;
}

function noteExpand(address: string, text: string, error = false): void {
  const note = { text, error };
  expandNotes.set(address, note);
  lastExpandNote = note;
  if (selected === address) {
    const line = panel.querySelector('#expand-status');
    if (line !== null) {
      line.textContent = text;
      line.className = error ? 'error' : 'hint';
    }
  }
  syncTestState();
}

function liveProgressText(p: LiveProgress): string {
  return (
    `${p.sent} request${p.sent === 1 ? '' : 's'} sent, ${p.answered} answered` +
    (p.retries > 0 ? `, ${p.retries} retried (last: ${p.lastRetry ?? '?'})` : '')
  );
}

/**
 * Reads `address`'s next hop through the chain's source — over the open case's cassette, or live over core's http
 * transport — and adds what is new as "expanded, not traced". Progress and errors go to the panel (and the status
 * line while it runs); the page stays responsive (every read is awaited), Cancel aborts the requests in flight.
 */
async function expandNode(model: ViewModel, address: string): Promise<void> {
  const caseName = openCase();
  const live = expandMode === 'live';
  if (vm !== model || expanding !== undefined || (!live && caseName === undefined)) return;
  // What this run uses, fixed at the click: editing the form meanwhile changes the next run.
  const key = live ? apiKey : '';
  const settings = { ...liveSettings };
  const run = ++expandRuns;
  const abort = new AbortController();
  expanding = { node: address, run, abort };
  const current = () => vm === model && expanding?.run === run;
  let requests = '';
  let step = live ? 'connecting' : 'loading the recorded case';
  const progress = () => {
    if (!current()) return;
    const text = requests !== '' ? `${step} · ${requests}` : step;
    noteExpand(address, `expanding: ${text}…`);
    setStatus(`expanding ${shortAddress(address)}: ${text}…`);
  };
  renderPanel();
  progress();
  // Let the status paint before the cassette is verified (a few MB of sha256).
  await new Promise((done) => setTimeout(done, 0));
  try {
    let source: ChainSource;
    let via: ExpansionRecord['via'];
    if (live) {
      const spec = liveSpec(model.trace, settings);
      const refusal = cspRefusal(spec.endpoint);
      if (refusal !== undefined) throw new NotInBrowserError(refusal);
      source = await liveSource(model.trace, settings, {
        ...(key !== '' ? { apiKey: key } : {}),
        signal: abort.signal,
        onProgress: (p) => {
          requests = liveProgressText(p);
          progress();
        },
      });
      via = {
        mode: 'live',
        kind: spec.kind,
        endpoint: redactUrl(spec.endpoint, key !== '' ? [key] : []),
        chain: spec.chain,
        ...(spec.network !== undefined ? { network: spec.network } : {}),
        readAt: new Date().toISOString(),
      };
    } else {
      const c = await sourceFor(caseName!);
      source = c.source;
      via = {
        mode: 'cassette',
        kind: c.spec.kind,
        endpoint: c.spec.endpoint,
        chain: c.spec.chain,
        ...(c.spec.network !== undefined ? { network: c.spec.network } : {}),
      };
    }
    if (!current()) return;
    step = 'reading';
    progress();
    const transfers = await readNextHop(source, address, model.trace, model.graph, (text) => {
      step = text;
      progress();
    });
    if (!current()) return;
    const added = applyExpansion(model, address, transfers);
    if (added.edges.length > 0) {
      const fresh = new Set(added.edges);
      expansionLog.push({
        node: address,
        via,
        ...(viewAsset !== undefined ? { asset: viewAsset } : {}),
        transfers: transfers.filter((t) => fresh.has(t.id)),
      });
      exportExpanded.disabled = false;
    }
    noteExpand(
      address,
      `${transfers.length} transfers read${live ? ` live (${requests})` : ''}: ${added.edges.length} new edges, ` +
        `${added.nodes.length} new nodes (${EXPANDED_RULE})` +
        (added.known > 0 ? `; ${added.known} already in the graph` : ''),
    );
  } catch (e) {
    if (current()) {
      const text = abort.signal.aborted ? 'cancelled: nothing was added' : expandErrorText(e);
      noteExpand(address, withoutSecret(text, key), true);
    }
  } finally {
    if (current()) {
      expanding = undefined;
      const note = expandNotes.get(address);
      renderPanel();
      updateStatus();
      if (note !== undefined) noteExpand(address, note.text, note.error);
    }
  }
}

function expandedNodeStyle(model: ViewModel, node: string): { color: string; size: number; label: string } {
  return { color: EXPANDED_NODE, size: 4, label: nodeLabel(model.graph.getNodeAttributes(node)) };
}

/** Adds an expansion's transfers to the graph and to the expanded sets (no styles, no drawing). */
function addExpanded(model: ViewModel, address: string, transfers: readonly ExpandedTransfer[]) {
  const added = addExpansion(model.graph, address, transfers);
  const byTransfer = new Map(transfers.map((t) => [t.id, t]));
  for (const e of added.edges) expandedEdges.set(e, byTransfer.get(e)!);
  for (const n of added.nodes) expandedNodes.add(n);
  return added;
}

/** Adds an expansion to the graph, the styles, the positions of both layouts and the visibility; redraws. */
function applyExpansion(
  model: ViewModel,
  address: string,
  transfers: ExpandedTransfer[],
): { nodes: string[]; edges: string[]; known: number } {
  const graph = model.graph;
  const before = graph.getNodeAttributes(address);
  const beforeX = before.x ?? 0;
  const beforeY = before.y ?? 0;
  const added = addExpanded(model, address, transfers);
  for (const e of added.edges) baseEdgeSize.set(e, 1);
  for (const n of added.nodes) {
    const a = graph.getNodeAttributes(n);
    baseNode.set(n, expandedNodeStyle(model, n));
    // Both layouts: the same offset from the expanded node.
    for (const p of positions.values()) {
      const from = p.get(address) ?? { x: beforeX, y: beforeY };
      p.set(n, { x: from.x + (a.x ?? 0) - beforeX, y: from.y + (a.y ?? 0) - beforeY });
    }
  }
  visibility = computeVisibility(graph, currentFilters());
  hits = new Set(searchNodes(graph, search));
  refresh();
  return added;
}

function renderCashOuts(): void {
  if (vm === undefined || policy === undefined) return;
  const model = vm;
  cashoutPolicy.textContent = `(${policy})`;
  const rows = cashOutsOf(model, policy);
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
  renderHopFlow();
  syncTestState();
}

/** The per-hop flow table of @fundflow/graph (flowByHop) under the current policy. */
function renderHopFlow(): void {
  if (vm === undefined || policy === undefined) return;
  const model = vm;
  hopPolicy.textContent = `(${policy}, ${model.symbol})`;
  const amount = (units: string) =>
    el('td', { class: 'num' }, units === '0' ? '—' : formatUnits(units, model.decimals));
  fill(
    hopTable,
    el(
      'tr',
      {},
      el('th', {}, 'hop'),
      el('th', {}, 'in'),
      el('th', {}, 'moved on'),
      el('th', {}, 'held'),
      el('th', {}, 'cashed out'),
      el('th', {}, 'other + fees'),
    ),
    ...hopFlowOf(model, policy).map((r) =>
      el(
        'tr',
        {},
        el('td', { title: `${r.transfers} transfers to ${r.addresses} addresses` }, String(r.hop)),
        amount(r.received),
        amount(r.movedOn),
        amount(r.held),
        amount(r.cashedOut),
        amount((BigInt(r.otherStops) + BigInt(r.fee)).toString()),
      ),
    ),
  );
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
