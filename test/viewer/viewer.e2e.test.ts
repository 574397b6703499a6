import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrace } from '@fundflow/core';
import { buildGraph } from '@fundflow/graph';
import { buildViewer, startViewerServer, type ViewerServer } from '@fundflow/viewer/serve';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildViewModel,
  cashOutRows,
  computeVisibility,
  formatAmount,
  parseAmountInput,
} from '../../apps/viewer/src/model';
import { ROOT } from '../helpers';

const CHROMIUM = '/usr/bin/chromium';
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

interface State {
  ready: boolean;
  error: string | null;
  nodes: number;
  edges: number;
  seeds: string[];
  policy: string | null;
  selected: string | null;
  visible: { nodes: number; edges: number };
  searchHits: string[];
  path: { nodes: string[]; edges: string[]; carried: string } | null;
}

const state = (page: Page) => page.evaluate(() => JSON.parse(JSON.stringify(window.__fundflow)) as State);

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
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
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
});
