import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EsploraSource } from '@fundflow/bitcoin';
import {
  DEFAULT_STOP_CATEGORIES,
  http,
  LabelRegistry,
  parseTrace,
  replaying,
  serializeTrace,
  type TraceFile,
  traceForward,
} from '@fundflow/core';
import { loadCassette } from '@fundflow/core/node';
import { JsonRpcSource } from '@fundflow/evm';
import { assetView, buildGraph, flowByHop, formatUnits, traceAssets } from '@fundflow/graph';
import { NisSource } from '@fundflow/nem';
import {
  type EsploraServer,
  generateScenario,
  scenarioParams,
  startEsploraServer,
  type UtxoScenario,
} from '@fundflow/sim';
import { buildViewer, startViewerServer, type ViewerServer } from '@fundflow/viewer/serve';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXPANSIONS_KEY,
  type ExpandedTransfer,
  readNextHop,
  readOutgoing,
  splitExpansions,
} from '../../apps/viewer/src/expand';
import type { ViewerTestState } from '../../apps/viewer/src/main';
import {
  buildViewModel,
  cashOutRows,
  computeVisibility,
  formatAmount,
  parseAmountInput,
} from '../../apps/viewer/src/model';
import { CHROMIUM, CHROMIUM_ARGS, ROOT } from '../helpers';

const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  console.warn(`viewer e2e skipped: ${CHROMIUM} is missing (Debian: apt-get install -y chromium; .ci/run installs it)`);
}

const CASE = 'nem-2018-exchange-drain';
const NEM_TRACE = join(ROOT, 'fixtures', CASE, 'expected.trace.json');
const OUT = join(ROOT, 'test-output', 'viewer');
const SEED = 'NBEY4IATEONTN4Z7V4S4JTUTLSZMZOPXEHMB6YP4';
const ATTACKER = 'NBDKT4BSDM3FKHCUGUZU2C5SZWE3N5NGT6DMAMCW';
const EVIL_LABEL = '<img src=x onerror=alert(1)>';
const EVIL_MEMO = '<script>window.__pwned=1</script>';

/** `window.__fundflow` as the page exposes it, read through JSON (its functions do not come across). */
type State = ViewerTestState;
type Expanded = ViewerTestState['expanded'];
const expanded = (page: Page) =>
  page.evaluate(() => JSON.parse(JSON.stringify(window.__fundflow.expanded)) as Expanded);

const state = (page: Page) => page.evaluate(() => JSON.parse(JSON.stringify(window.__fundflow)) as State);

/** Reads a PNG's size from its IHDR chunk (after checking the signature). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Sets a range input's value the way a user's drag does: value, then an input event. */
async function slide(page: Page, selector: string, value: number): Promise<void> {
  await page.locator(selector).evaluate((e, v) => {
    const input = e as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

/** Drops a file on the graph as a user's drag and drop does (DataTransfer with a File). */
async function dropFile(page: Page, name: string, text: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ([n, t]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], n, { type: 'application/json' }));
      return dt;
    },
    [name, text] as const,
  );
  await page.dispatchEvent('#graph', 'dragenter', { dataTransfer });
  expect(await page.evaluate(() => document.body.classList.contains('dropping'))).toBe(true);
  await page.dispatchEvent('#graph', 'dragover', { dataTransfer });
  await page.dispatchEvent('#graph', 'drop', { dataTransfer });
}

/** A port nothing listens on (taken, then released). */
function deadPort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

/** Clicks a node where sigma draws it (graphToViewport of its display position). */
async function clickNode(page: Page, node: string): Promise<void> {
  const at = await page.evaluate((n) => window.__fundflow.screenPosition(n), node);
  expect(at, `${node} is drawn`).not.toBeNull();
  await page.mouse.click(at!.x, at!.y);
  await page.waitForFunction((n) => window.__fundflow.selected === n, node, { timeout: 5000 });
}

describe.skipIf(!HAVE_CHROMIUM)('viewer in Chromium', () => {
  const trace = parseTrace(readFileSync(NEM_TRACE, 'utf8'));
  const vm = buildViewModel(trace);
  let server: ViewerServer;
  let context: BrowserContext;
  let tmp: string;
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  async function open(query: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const res = await page.goto(`${server.url}?${query}`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForFunction(() => window.__fundflow?.ready === true, null, { timeout: 15_000 });
    await page.waitForTimeout(300); // a couple of frames, for the screenshots
    return page;
  }

  beforeAll(async () => {
    await buildViewer({ force: true });
    mkdirSync(OUT, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'fundflow-viewer-'));
    // A copy of the NEM trace whose attacker label and cash-out labels are markup, and whose first message to the
    // attacker is a script: the viewer must show them as text.
    const evil = JSON.parse(readFileSync(NEM_TRACE, 'utf8')) as {
      labels: { address: string; name: string }[];
      transfers: { to: string; memo?: string }[];
      results: Record<string, { summary: { cashOuts: { label: string }[] } }>;
    };
    for (const l of evil.labels) if (l.address === ATTACKER) l.name = EVIL_LABEL;
    const toAttacker = evil.transfers.find((t) => t.to === ATTACKER)!;
    toAttacker.memo = EVIL_MEMO;
    for (const r of Object.values(evil.results)) r.summary.cashOuts[0]!.label = EVIL_LABEL;
    writeFileSync(join(tmp, 'evil.trace.json'), JSON.stringify(evil));
    server = await startViewerServer({ port: 0, trace: join(tmp, 'evil.trace.json') });
    context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 850 },
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  describe('the NEM case', () => {
    let page: Page;
    beforeAll(async () => {
      page = await open(`trace=${CASE}`);
    }, 30_000);

    it('draws the graph @fundflow/graph builds, the seed leftmost', async () => {
      const s = await state(page);
      const ref = buildGraph(trace, { level: 'address' });
      expect(s.error).toBeNull();
      expect([s.nodes, s.edges]).toEqual([ref.order, ref.size]);
      expect(s.seeds).toEqual([SEED]);
      expect(s.visible).toEqual({ nodes: ref.order, edges: ref.size });
      const positions = await page.evaluate(() => window.__fundflow.positions());
      const seedX = positions[SEED]!.x;
      for (const [n, p] of Object.entries(positions)) if (n !== SEED) expect(p.x, n).toBeGreaterThan(seedX);
      // Drawn left to right on screen too: the seed left of the attacker, left of every cash-out.
      const screen = async (n: string) => (await page.evaluate((k) => window.__fundflow.screenPosition(k), n))!;
      const seedAt = await screen(SEED);
      expect(seedAt.x).toBeLessThan((await screen(ATTACKER)).x);
      for (const c of cashOutRows(trace, 'fifo')) expect(seedAt.x).toBeLessThan((await screen(c.address)).x);
      const png = await page.locator('#graph').screenshot({ path: join(OUT, `${CASE}.png`) });
      expect(png.length).toBeGreaterThan(10_000);
      if (process.env.UPDATE_SCREENSHOTS === '1') {
        await page.screenshot({ path: join(ROOT, 'apps/viewer/screenshots', `${CASE}.png`) });
      }
    });

    it('inspects a clicked node: address, labels with source and confidence, transfers with rule', async () => {
      await clickNode(page, ATTACKER);
      const text = (await page.locator('#panel').textContent()) ?? '';
      expect(await page.locator('#address').textContent()).toBe(ATTACKER);
      expect(text).toContain('Simulated attacker account (receives the simulated drain)');
      expect(text).toContain('simulated: @fundflow/nem generateDrainScenario (seed 2018)');
      expect(text).toContain('high');
      expect(text).toContain('seed.outflow');
      expect(text).toContain(formatAmount(trace.results.fifo!.summary.stolen, vm)); // traced in, fifo
      const rows = trace.transfers.filter((t) => t.from === ATTACKER || t.to === ATTACKER).length;
      expect(text).toContain(`Transfers (${rows})`);
      const s = await state(page);
      expect(s.path?.nodes).toEqual([SEED, ATTACKER]);
      expect(page.url()).toContain(`node=${ATTACKER}`);
      await page.screenshot({ path: join(OUT, 'attacker-selected.png') });
    });

    it('highlights the path from the seed to a cash-out with the amount it carried', async () => {
      const top = cashOutRows(trace, 'fifo')[0]!;
      await page
        .locator('#cashouts button', { hasText: top.address.slice(0, 6) })
        .first()
        .click();
      await page.waitForFunction((n) => window.__fundflow.selected === n, top.address);
      const s = await state(page);
      expect(s.path!.nodes[0]).toBe(SEED);
      expect(s.path!.nodes.at(-1)).toBe(top.address);
      expect(s.path!.edges.length).toBeGreaterThan(1);
      const g = vm.graph;
      for (const e of s.path!.edges)
        expect(BigInt(g.getEdgeAttribute(e, 'taint_fifo')!)).toBeGreaterThanOrEqual(BigInt(s.path!.carried));
      expect(await page.locator('#path').textContent()).toContain(
        `${s.path!.edges.length} hops, carried at most ${formatAmount(s.path!.carried, vm)}`,
      );
      await page.screenshot({ path: join(OUT, 'path-to-cash-out.png') });
    });

    it('switching the taint policy changes the cash-out table', async () => {
      const fifoText = await page.locator('#cashouts').textContent();
      expect(fifoText).toContain(formatAmount(cashOutRows(trace, 'fifo')[0]!.amount, vm));
      await page.selectOption('#policy', 'haircut');
      await page.waitForFunction(() => window.__fundflow.policy === 'haircut');
      const haircutText = await page.locator('#cashouts').textContent();
      expect(haircutText).not.toBe(fifoText);
      for (const r of cashOutRows(trace, 'haircut')) expect(haircutText).toContain(formatAmount(r.amount, vm));
      expect(page.url()).toContain('policy=haircut');
    });

    it('the minimum-amount filter and the search hide and highlight without losing the model', async () => {
      await page.fill('#min', '1,000,000');
      await page.waitForFunction(() => window.__fundflow.filters.minAmount !== '0');
      const s = await state(page);
      const want = computeVisibility(vm.graph, { minAmount: parseAmountInput('1000000', vm.decimals)! });
      expect(s.visible).toEqual({ nodes: want.nodes.size, edges: want.edges.size });
      expect(s.visible.edges).toBeLessThan(s.edges);
      expect(s.edges).toBe(vm.graph.size);
      await page.screenshot({ path: join(OUT, 'min-amount-1m.png') });
      await page.fill('#search', 'SimExchange');
      await page.waitForFunction(() => window.__fundflow.searchHits.length > 0);
      expect((await state(page)).searchHits).toHaveLength(5);
      await page.fill('#min', '');
      await page.waitForFunction(() => window.__fundflow.filters.minAmount === '0');
      expect((await state(page)).visible.edges).toBe(vm.graph.size);
      await page.close();
    });
  });

  it('shows an all-asset EVM trace one asset at a time, with amounts that add up within it', async () => {
    const page = await open('trace=evm-anvil-exchange-drain');
    let s = (await page.evaluate(() => JSON.parse(JSON.stringify(window.__fundflow)))) as State & {
      assets: { id: string; symbol: string }[];
      cashOuts: { address: string; amount: string }[];
    };
    expect(s.error).toBeNull();
    expect(s.assets.map((a) => a.symbol).sort()).toEqual(['ETH', 'ODD', 'SDOL']);
    expect(s.filters.asset).toBe('anvil:ETH');
    const evm = parseTrace(readFileSync(join(ROOT, 'fixtures/evm-anvil-exchange-drain/expected.trace.json'), 'utf8'));
    const ethCash = (evm.results.fifo?.summary.cashOuts ?? []).filter((c) => c.asset === 'anvil:ETH');
    expect(s.cashOuts.map((c) => c.amount).sort()).toEqual(ethCash.map((c) => c.amount).sort());
    const sdol = s.assets.find((a) => a.symbol === 'SDOL')!;
    await page.selectOption('#asset', sdol.id);
    await page.waitForFunction((id) => window.__fundflow?.filters.asset === id, sdol.id);
    s = (await page.evaluate(() => JSON.parse(JSON.stringify(window.__fundflow)))) as typeof s;
    const sdolCash = (evm.results.fifo?.summary.cashOuts ?? []).filter((c) => c.asset === sdol.id);
    expect(s.cashOuts.map((c) => c.amount).sort()).toEqual(sdolCash.map((c) => c.amount).sort());
    expect(new URL(page.url()).searchParams.get('asset')).toBe(sdol.id);
    await page.screenshot({ path: join(OUT, 'evm-anvil-exchange-drain-sdol.png') });
    await page.close();
  });

  it('expands an EVM address (JsonRpcSource over the cassette): new counterparties in the next column', async () => {
    const evmCase = 'evm-anvil-exchange-drain';
    const evm = parseTrace(readFileSync(join(ROOT, 'fixtures', evmCase, 'expected.trace.json'), 'utf8'));
    // A traced address whose outgoing transfers the tracer read (the middle fifo edge's sender).
    const fifo = evm.results.fifo!.edges;
    const node = evm.transfers.find((t) => t.id === fifo[Math.floor(fifo.length / 2)]!.transfer)!.from;
    const source = new JsonRpcSource({
      url: 'http://127.0.0.1:18545',
      chain: 'anvil',
      transport: replaying(await loadCassette(join(ROOT, 'fixtures', evmCase, 'cassette'))),
      capabilities: { history: 'trace_filter', internal: 'debug_trace' },
    });
    const read = await readOutgoing(source, node, evm);
    // The viewer shows the first asset of an all-asset trace.
    const shown = buildViewModel(assetView(evm, traceAssets(evm)[0]!), evm).graph;
    const fresh = read.filter((t) => !shown.hasEdge(t.id));
    const freshNodes = [...new Set(fresh.map((t) => t.to))].filter((n) => !shown.hasNode(n));

    const page = await open(`trace=${evmCase}&node=${node}`);
    await page.click('#expand');
    await page.waitForFunction(() => !window.__fundflow.expanded.running && window.__fundflow.expanded.message, null, {
      timeout: 60_000,
    });
    const after = await expanded(page);
    expect(after.error, after.message ?? '').toBe(false);
    expect([...after.edges].sort()).toEqual(fresh.map((t) => t.id).sort());
    expect([...after.nodes].sort()).toEqual(freshNodes.sort());
    const positions = await page.evaluate(() => window.__fundflow.positions());
    for (const n of after.nodes) expect(positions[n]!.x, n).toBeGreaterThan(positions[node]!.x);
    const s = await state(page);
    expect(s.visible.edges).toBe(shown.size + fresh.length);
    await page.screenshot({ path: join(OUT, 'evm-expanded.png') });

    // A bitcoin-rpc case cannot be expanded in a browser: said so in the panel.
    await page.goto(`${server.url}?trace=ltc-regtest-exchange-drain&node=rltc1qmjxcup3yc3vyhdt5s5l0zmv3xqlkdvn8m8hcag`);
    await page.waitForFunction(() => window.__fundflow?.ready === true, null, { timeout: 15_000 });
    await page.click('#expand');
    await page.waitForFunction(() => window.__fundflow.expanded.error, null, { timeout: 30_000 });
    expect(await page.locator('#expand-status').textContent()).toContain('bitcoin-rpc');
    await page.close();
  });

  it('renders label names and NEM messages as text: no markup, no script, no dialog', async () => {
    const page = await open('trace=/trace.json');
    expect((await state(page)).error).toBeNull();
    await clickNode(page, ATTACKER);
    const panel = (await page.locator('#panel').textContent()) ?? '';
    expect(panel).toContain(EVIL_LABEL);
    expect(panel).toContain(EVIL_MEMO);
    expect(await page.locator('#cashouts').textContent()).toContain(EVIL_LABEL);
    expect(await page.locator('img, #panel script, #cashouts script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: join(OUT, 'unsafe-strings-as-text.png') });
    await page.close();
  });

  describe('open, export, filter, inspect, layout (the rest of issue #7)', () => {
    // The NEM trace as a user's file: a dust threshold of 1,000 XEM, and read from a public NIS1 node (so the
    // explorer links show; the case itself is simulated and has none).
    const dropped = (() => {
      const t = JSON.parse(readFileSync(NEM_TRACE, 'utf8')) as {
        params: { minAmount: string };
        sources: { endpoint: string; network?: string }[];
      };
      t.params.minAmount = '1000000000';
      t.sources = [{ ...t.sources[0]!, endpoint: 'http://hugealice.nem.ninja:7890', network: 'mainnet' }];
      return `${JSON.stringify(t, null, 1)}\n`;
    })();

    it('opens a dropped trace file and saves it back as is; explorer links; hide dust', async () => {
      const page = await open('');
      expect((await state(page)).nodes).toBe(0);
      await dropFile(page, 'dropped.trace.json', dropped);
      await page.waitForFunction(() => window.__fundflow.nodes > 0);
      let s = await state(page);
      expect(s.error).toBeNull();
      expect(s.trace).toBeNull(); // a local file: the URL cannot reopen it
      expect([s.nodes, s.edges]).toEqual([vm.graph.order, vm.graph.size]);
      expect(await page.evaluate(() => document.body.classList.contains('dropping'))).toBe(false);
      expect(s.explorer).toBe('explorer.nemtool.com');

      // Save trace JSON: the bytes that were opened.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
      expect(download.suggestedFilename()).toBe('dropped.trace.json');
      expect(readFileSync(await download.path(), 'utf8')).toBe(dropped);

      // Explorer links: plain https URLs, no opener, no referrer; the txid of each transfer links too.
      await clickNode(page, ATTACKER);
      const link = page.locator('#explorer a');
      const url = `https://explorer.nemtool.com/#/s_account?account=${ATTACKER}`;
      expect(await link.getAttribute('href')).toBe(url);
      expect(await link.textContent()).toBe(url);
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
      const txLinks = page.locator('#transfers a.url');
      expect(await txLinks.count()).toBeGreaterThan(0);
      expect(await txLinks.first().getAttribute('href')).toMatch(/^https:\/\/explorer\.nemtool\.com\/#\/s_tx\?hash=/);

      // Hide dust: below params.minAmount (1,000 XEM).
      expect(await page.locator('#dust-text').textContent()).toBe(`(< ${formatAmount(10n ** 9n, vm)})`);
      await page.check('#dust');
      await page.waitForFunction(() => window.__fundflow.filters.dust !== '0');
      s = await state(page);
      const want = computeVisibility(vm.graph, { minAmount: 0n, dust: 10n ** 9n });
      expect(s.visible).toEqual({ nodes: want.nodes.size, edges: want.edges.size });
      expect(s.visible.edges).toBeLessThan(s.edges);
      await page.screenshot({ path: join(OUT, 'dropped-hide-dust.png') });
      await page.close();
    });

    it('exports a PNG of the rendered graph at the chosen size', async () => {
      const page = await open(`trace=${CASE}`);
      await page.fill('#png-w', '900');
      await page.fill('#png-h', '600');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
      expect(download.suggestedFilename()).toBe(`${CASE}-900x600.png`);
      const png = readFileSync(await download.path());
      writeFileSync(join(OUT, 'export-900x600.png'), png);
      expect(pngSize(png)).toEqual({ width: 900, height: 600 });
      // Decoded by the browser: the right size, and drawn on (not just the white background).
      const pixels = await page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.naturalWidth;
        c.height = img.naturalHeight;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let drawn = 0;
        let red = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i]! < 245 || d[i + 1]! < 245 || d[i + 2]! < 245) drawn++;
          if (d[i]! > 150 && d[i + 1]! < 120 && d[i + 2]! < 120) red++;
        }
        return { width: c.width, height: c.height, drawn, red };
      }, png.toString('base64'));
      expect(pixels.width).toBe(900);
      expect(pixels.height).toBe(600);
      expect(pixels.drawn).toBeGreaterThan(5_000); // nodes, edges, labels
      expect(pixels.red).toBeGreaterThan(100); // traced edges and the attacker
      expect((await state(page)).error).toBeNull();
      // Out of range sizes are refused with a message.
      await page.fill('#png-w', '99999');
      await page.click('#export-png');
      expect((await state(page)).error).toContain('PNG size');
      await page.close();
    });

    it('filters by time range and labelled entities, kept in the URL and restored from it', async () => {
      const page = await open(`trace=${CASE}`);
      const range = (await state(page)).timeRange!;
      expect(range).toEqual(vm.timeRange);
      const to = range.min + 86_400;
      await slide(page, '#to', to);
      await page.waitForFunction((t) => window.__fundflow.filters.to === t, to);
      let s = await state(page);
      let want = computeVisibility(vm.graph, { minAmount: 0n, to });
      expect(s.visible).toEqual({ nodes: want.nodes.size, edges: want.edges.size });
      expect(s.visible.edges).toBeLessThan(s.edges);
      expect(await page.locator('#to-text').textContent()).toContain(new Date(to * 1000).toISOString().slice(0, 10));
      await page.screenshot({ path: join(OUT, 'first-day.png') });
      await page.check('#hide-labelled');
      await page.waitForFunction(() => window.__fundflow.filters.hideLabelled);
      s = await state(page);
      want = computeVisibility(vm.graph, { minAmount: 0n, to, hideLabelled: true });
      expect(s.visible).toEqual({ nodes: want.nodes.size, edges: want.edges.size });
      const url = page.url();
      expect(url).toContain(`to=${to}`);
      expect(url).toContain('labelled=hide');
      expect(url).not.toContain('from=');
      // The link reopens the same view.
      const again = await open(url.slice(url.indexOf('?') + 1));
      const r = await state(again);
      expect(r.filters).toMatchObject({ to, from: null, hideLabelled: true });
      expect(r.visible).toEqual(s.visible);
      expect(await again.isChecked('#hide-labelled')).toBe(true);
      await again.click('#reset-filters');
      await again.waitForFunction(() => !window.__fundflow.filters.hideLabelled);
      expect((await state(again)).visible).toEqual({ nodes: vm.graph.order, edges: vm.graph.size });
      expect(again.url()).not.toContain('to=');
      // One asset in this trace: no asset picker.
      expect(await again.isHidden('#asset-box')).toBe(true);
      await again.close();
      await page.close();
    });

    it('shows the per-hop flow table of the policy', async () => {
      const page = await open(`trace=${CASE}`);
      const table = page.locator('#hop-flow');
      for (const policy of ['fifo', 'haircut'] as const) {
        if (policy !== 'fifo') {
          await page.selectOption('#policy', policy);
          await page.waitForFunction((p) => window.__fundflow.policy === p, policy);
        }
        const rows = flowByHop(trace, policy);
        const s = await state(page);
        expect(s.hopFlow.map((r) => [r.hop, r.received])).toEqual(rows.map((r) => [r.hop, r.received]));
        expect(await table.locator('tr').count()).toBe(rows.length + 1);
        const text = (await table.textContent()) ?? '';
        for (const r of rows) expect(text).toContain(formatUnits(r.received, vm.decimals));
        expect(await page.locator('#hop-policy').textContent()).toBe(`(${policy}, XEM)`);
      }
      await page.close();
    });

    it('shows the edge heuristics of a UTXO trace in the transfers table', async () => {
      const sim = parseTrace(
        readFileSync(join(ROOT, 'fixtures', 'sim-utxo-exchange-drain', 'expected.trace.json'), 'utf8'),
      );
      const edge = sim.results.fifo!.edges.find((e) => (e.heuristics ?? []).length > 0)!;
      const to = sim.transfers.find((t) => t.id === edge.transfer)!.to;
      const page = await open(`trace=sim-utxo-exchange-drain&node=${to}`);
      expect((await state(page)).selected).toBe(to);
      const text = (await page.locator('#transfers').textContent()) ?? '';
      for (const h of edge.heuristics!) expect(text).toContain(`${h.rule} ${h.confidence}`);
      // Regtest / simulated: no explorer link.
      expect((await state(page)).explorer).toBeNull();
      expect(await page.locator('#explorer a').count()).toBe(0);
      await page.close();
    });

    it('switches to ForceAtlas2 and back, kept in the URL', async () => {
      const page = await open(`trace=${CASE}`);
      const layered = await page.evaluate(() => window.__fundflow.positions());
      await page.selectOption('#layout', 'force');
      await page.waitForFunction(() => window.__fundflow.layout === 'force', null, { timeout: 20_000 });
      const force = await page.evaluate(() => window.__fundflow.positions());
      const moved = Object.keys(layered).filter(
        (n) => layered[n]!.x !== force[n]!.x || layered[n]!.y !== force[n]!.y,
      ).length;
      expect(moved).toBeGreaterThan(vm.graph.order / 2);
      expect(page.url()).toContain('layout=force');
      expect(await page.evaluate((n) => window.__fundflow.screenPosition(n), ATTACKER)).not.toBeNull();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(OUT, 'forceatlas2.png') });
      if (process.env.UPDATE_SCREENSHOTS === '1') {
        await page.screenshot({ path: join(ROOT, 'apps/viewer/screenshots', `${CASE}-forceatlas2.png`) });
      }
      await page.selectOption('#layout', 'layered');
      await page.waitForFunction(() => window.__fundflow.layout === 'layered');
      expect(await page.evaluate(() => window.__fundflow.positions())).toEqual(layered);
      expect(page.url()).not.toContain('layout=');
      await page.close();
      expect(pageErrors).toEqual([]);
    });

    it('expands a node by one hop from the cassette, offline; a request not recorded shows FIXTURE_MISSING', async () => {
      // The same reads in Node: the case's source over its replayed cassette, as the tracer read the attacker.
      const cassette = await loadCassette(join(ROOT, 'fixtures', CASE, 'cassette'));
      const source = new NisSource({
        baseUrl: 'http://simulated-nis1.invalid:7890',
        network: 'mainnet',
        transport: replaying(cassette),
      });
      const read = await readOutgoing(source, ATTACKER, trace);
      const ref = buildGraph(trace, { level: 'address' });
      const fresh = read.filter((t) => !ref.hasEdge(t.id));
      const freshNodes = [...new Set(fresh.map((t) => t.to))].filter((n) => !ref.hasNode(n));
      expect(read.length).toBeGreaterThan(0);

      const page = await open(`trace=${CASE}&node=${ATTACKER}`);
      expect((await expanded(page)).edges).toEqual([]);
      await page.click('#expand');
      await page.waitForFunction(
        () => !window.__fundflow.expanded.running && window.__fundflow.expanded.message,
        null,
        {
          timeout: 60_000,
        },
      );
      const after = await expanded(page);
      expect(after.error, after.message ?? '').toBe(false);
      expect([...after.edges].sort()).toEqual(fresh.map((t) => t.id).sort());
      expect([...after.nodes].sort()).toEqual(freshNodes.sort());
      expect(after.message).toContain(`${read.length} transfers read`);
      const s = await state(page);
      expect([s.nodes, s.edges]).toEqual([ref.order + freshNodes.length, ref.size + fresh.length]);
      // The panel lists them as not traced, and the transfers already in the graph are not added twice.
      if (fresh.length > 0) {
        expect(await page.locator('#expanded tr.expanded').count()).toBe(fresh.length);
        expect(await page.locator('#expanded').textContent()).toContain('not traced');
      }
      expect(await page.locator('#expand-status').textContent()).toContain(`${fresh.length} new edges`);
      await page.click('#expand');
      await page.waitForFunction(() => !window.__fundflow.expanded.running, null, { timeout: 60_000 });
      expect((await expanded(page)).edges.length).toBe(fresh.length);
      await page.screenshot({ path: join(OUT, 'expanded.png') });

      // A cash-out exchange account: the tracer stopped there, so its history is not in the cassette.
      const cashOut = cashOutRows(trace, 'fifo')[0]!.address;
      await page.locator(`#cashouts button[title="${cashOut}"]`).first().click();
      await page.waitForFunction((n) => window.__fundflow.selected === n, cashOut);
      await page.click('#expand');
      await page.waitForFunction(() => !window.__fundflow.expanded.running && window.__fundflow.expanded.error, null, {
        timeout: 60_000,
      });
      const status = (await page.locator('#expand-status').textContent()) ?? '';
      expect(status).toContain('not in the recorded case (FIXTURE_MISSING): GET ');
      expect(status).toContain(cashOut);
      expect((await expanded(page)).edges.length).toBe(fresh.length);
      // Still responsive: select another node, the panel follows.
      await clickNode(page, ATTACKER);
      expect(await page.locator('#address').textContent()).toBe(ATTACKER);
      await page.close();
      expect(pageErrors).toEqual([]);
    });
  });

  describe('expand live (issue #7): a simulated Esplora server over real HTTP', () => {
    const KEY = 'DUMMY-KEY-9b1e4c2a7f';
    let sim: EsploraServer;
    let slow: EsploraServer;
    let viewer: ViewerServer;
    let dead: number;
    let traceText: string;
    let liveTrace: TraceFile;
    let node = '';
    let fresh: ExpandedTransfer[] = [];

    beforeAll(async () => {
      const s = generateScenario({ seed: 9, model: 'utxo', size: 80 }) as UtxoScenario;
      sim = await startEsploraServer(s);
      slow = await startEsploraServer(s, { latencyMs: 10_000 });
      dead = await deadPort();
      // A trace made against the server (the way the CLI traces live), stopped after 2 hops.
      const source = new EsploraSource({ baseUrl: sim.url, network: 'regtest', transport: http() });
      const params = scenarioParams(s, ['fifo'], {
        maxHops: 2,
        minAmount: 0n,
        fanOutCap: 1000,
        stopCategories: DEFAULT_STOP_CATEGORIES,
      });
      traceText = serializeTrace(await traceForward({ source, labels: new LabelRegistry(), params }));
      liveTrace = parseTrace(traceText);
      writeFileSync(join(tmp, 'live.trace.json'), traceText);
      // A max-hops frontier address whose next hop the trace does not have: what the live expansion must add.
      const graph = buildViewModel(liveTrace).graph;
      for (const stop of liveTrace.results.fifo!.stops.filter((x) => x.reason === 'max-hops')) {
        const read = await readNextHop(source, stop.address, liveTrace, graph);
        fresh = read.filter((t) => !graph.hasEdge(t.id));
        if (fresh.length > 0) {
          node = stop.address;
          break;
        }
      }
      viewer = await startViewerServer({
        port: 0,
        trace: join(tmp, 'live.trace.json'),
        connect: [sim.url, slow.url, `http://127.0.0.1:${dead}`],
      });
    }, 60_000);

    afterAll(async () => {
      await viewer?.close();
      await sim?.close();
      await slow?.close();
    });

    it('expands a node live; errors are typed; the API key goes nowhere; the expansion is saved and read back', async () => {
      expect(node, 'a frontier address with spends beyond the trace').not.toBe('');
      const consoleLines: string[] = [];
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('console', (m) => consoleLines.push(`${m.type()} ${m.text()} ${m.location().url}`));
      const res = await page.goto(`${viewer.url}?trace=/trace.json&node=${node}`);
      const csp = res?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain(`connect-src 'self' https://blockstream.info`);
      expect(csp).toContain(`${sim.url} ${slow.url} http://127.0.0.1:${dead};`);
      // The meta tag allows the same set (both policies apply).
      const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      expect(meta).toBe(csp.replace("; frame-ancestors 'none'", ''));
      await page.waitForFunction(() => window.__fundflow?.ready === true, null, { timeout: 15_000 });
      const ref = buildGraph(liveTrace, { level: 'address' });
      expect(await page.evaluate(() => window.__fundflow.expandSource)).toEqual({
        mode: 'live',
        kind: 'esplora',
        endpoint: sim.url, // the trace's own endpoint: a regtest trace has no public one
        hasKey: false,
        saved: 0,
      });
      expect(await page.isDisabled('#mode-cassette')).toBe(true);
      await page.fill('#live-key', KEY);
      const finished = () =>
        page.waitForFunction(() => !window.__fundflow.expanded.running && window.__fundflow.expanded.message, null, {
          timeout: 15_000,
        });

      // An origin the CSP does not allow: said so before anything is sent.
      const sent = sim.stats().requests;
      await page.fill('#live-endpoint', `http://localhost:${dead}`);
      expect(await page.locator('#live-note').textContent()).toContain('connect-src');
      await page.click('#expand');
      await finished();
      expect(await page.locator('#expand-status').textContent()).toContain(
        `does not allow http://localhost:${dead}: serve it with \`pnpm fundflow view <trace.json> --connect http://localhost:${dead}\``,
      );

      // Nothing listens there: a typed network error after the retries, the page still responsive.
      await page.fill('#live-endpoint', `http://127.0.0.1:${dead}`);
      await page.click('#expand');
      await finished();
      let status = (await page.locator('#expand-status').textContent()) ?? '';
      expect(status).toMatch(/^(NETWORK_ERROR|TIMEOUT): GET http:\/\/127\.0\.0\.1:\d+\/tx\/[0-9a-f]{64}\/outspends /);
      expect(status).toContain('gave up after 3 attempts');
      expect((await expanded(page)).error).toBe(true);
      expect(sim.stats().requests).toBe(sent);

      // A server taking 10 s per answer: Cancel aborts the requests in flight, nothing is added.
      await page.fill('#live-endpoint', slow.url);
      await page.click('#expand');
      await page.waitForFunction(() => /requests? sent/.test(window.__fundflow.expanded.message ?? ''), null, {
        timeout: 5000,
      });
      expect(await page.locator('#expand-status').textContent()).toMatch(/^expanding: .*1 request sent, 0 answered…$/);
      await page.click('#expand-cancel');
      await finished();
      expect(await page.locator('#expand-status').textContent()).toBe('cancelled: nothing was added');
      expect((await expanded(page)).edges).toEqual([]);

      // The server: the next hop, as Node reads it, minus what the trace has.
      await page.fill('#live-endpoint', sim.url);
      await page.click('#expand');
      expect(await page.isDisabled('#expand')).toBe(true); // a second click while it runs does nothing
      await finished();
      const after = await expanded(page);
      expect(after.error, after.message ?? '').toBe(false);
      expect([...after.edges].sort()).toEqual(fresh.map((t) => t.id).sort());
      const freshNodes = [...new Set(fresh.map((t) => t.to))].filter((n) => !ref.hasNode(n));
      expect([...after.nodes].sort()).toEqual(freshNodes.sort());
      expect(await state(page)).toMatchObject({ nodes: ref.order + freshNodes.length, edges: ref.size + fresh.length });
      status = (await page.locator('#expand-status').textContent()) ?? '';
      expect(status).toMatch(
        new RegExp(`transfers read live \\(\\d+ requests? sent, \\d+ answered\\): ${fresh.length} new edges`),
      );
      expect(sim.stats().requests).toBeGreaterThan(sent);
      expect(await page.locator('#expanded tr.expanded').count()).toBe(fresh.length);
      await page.screenshot({ path: join(OUT, 'expanded-live.png') });

      // Saved with the trace: the trace's own bytes, then the expansion (endpoint, no key).
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-expanded')]);
      expect(download.suggestedFilename()).toBe('trace.expanded.trace.json');
      const saved = readFileSync(await download.path(), 'utf8');
      expect(Object.keys(JSON.parse(saved)).at(-1)).toBe(EXPANSIONS_KEY);
      const split = splitExpansions(saved);
      expect(split.traceText).toBe(traceText);
      expect(split.records).toHaveLength(1);
      expect(split.records[0]).toMatchObject({ node, via: { mode: 'live', kind: 'esplora', endpoint: sim.url } });
      expect(split.records[0]!.transfers.map((t) => t.id).sort()).toEqual(fresh.map((t) => t.id).sort());
      const [plain] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
      expect(readFileSync(await plain.path(), 'utf8')).toBe(traceText);

      // The key: in the JS variable only.
      expect(await page.evaluate(() => window.__fundflow.expandSource.hasKey)).toBe(true);
      const everywhere = [
        await page.content(),
        page.url(),
        saved,
        consoleLines.join('\n'),
        await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })),
        await page.evaluate(() => JSON.stringify(window.__fundflow)),
        await page.evaluate(() => document.cookie),
        (await page.locator('body').textContent()) ?? '',
      ];
      for (const [i, text] of everywhere.entries()) expect(text.includes(KEY), `place ${i}`).toBe(false);
      expect(await page.getAttribute('#live-key', 'value')).toBeNull();

      // Reopened from the saved file: the expansion is drawn again, offline.
      await dropFile(page, 'trace.expanded.trace.json', saved);
      // (A dropped file has no URL: `trace` becomes null once it is open.)
      await page.waitForFunction(() => window.__fundflow.trace === null, null, { timeout: 15_000 });
      const back = await expanded(page);
      expect([...back.edges].sort()).toEqual([...after.edges].sort());
      expect([...back.nodes].sort()).toEqual([...after.nodes].sort());
      expect(await page.evaluate(() => window.__fundflow.expandSource.saved)).toBe(1);
      await clickNode(page, node);
      expect(await page.locator('#expanded tr.expanded').count()).toBe(fresh.length);
      await page.close();
      expect(pageErrors).toEqual([]);
    }, 30_000);
  });
});
