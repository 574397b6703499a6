/**
 * Viewer benchmarks for `pnpm bench --only viewer` (called from run.ts): a synthetic 20k-node / 40k-edge trace opened
 * in the built viewer in headless Chromium (the e2e suite's flags, software WebGL), measuring
 * - time to first frame: navigation start → the first frame on screen that shows the whole graph as the analyst sees
 *   it — every node and edge of the hop layout, the placed labels — with the legend and panels filled (fetch,
 *   parseTrace, buildGraph, hop layout, the drawing, and the compositor frame that carries it: `firstFrameAt`, see
 *   `afterPresented` in apps/viewer/src/main.ts; target < 3 s). On graphs over 5,000 edges that frame is the viewer's
 *   2D-canvas picture of the graph (`mountPreview`), drawn at sigma's own framing; sigma renders after it, and the
 *   row also gives when sigma's WebGL frame replaced the picture (`sigmaFrameAt`, when the page is `ready`: clicks
 *   pick from it) and the longest task between the first frame and then (PerformanceObserver 'longtask': how long the
 *   page could not answer input). Before 2026-11 the first frame was sigma's first render.
 * - frame time while panning and zooming: for a few seconds, one camera change at a time marked as a drag (so sigma's
 *   hideEdgesOnMove / hideLabelsOnMove apply as they do under the mouse), each measured from the change to its frame
 *   on screen (`nextFrame()`; p50 / p95; target < 50 ms); also how many of those frames were the last full frame's
 *   bitmap moved with the camera (graphs over 5,000 edges: sigma does not render while the camera moves, see
 *   `snapshotPan` in apps/viewer/src/main.ts) and how many sigma rendered, with their draw times, and the full frame
 *   sigma draws when the camera stops (camera stop → that frame on screen).
 *   Before 2026-10 the bench measured sigma's JavaScript render end (not the frame on screen) for the first frame and
 *   the interval between renders, with the camera not marked as moving.
 *
 *   tsx test/bench/viewer-bench.ts [--quick]   runs the rows on their own and prints them
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceFile } from '@fundflow/core';
import { buildViewer, startViewerServer } from '@fundflow/viewer/serve';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers';
import { addTaintedTransfer, exchangeLabel, syntheticEnvelope, xorshift32 } from './synthetic-trace';

export interface ViewerBenchRow {
  name: string;
  value: string;
  target: string;
  ok?: boolean;
}

/**
 * A deterministic account-model trace of `nodes` addresses and `edges` traced transfers over 20 hop layers that widen
 * to the right: every address but the seed receives from the layer before it, the other transfers join random
 * addresses of neighbouring layers; a few exchange labels in the last layers.
 * @example const t = viewerTrace(20_000, 40_000); t.transfers.length === 40_000
 */
export function viewerTrace(nodes: number, edges: number, seed = 3): TraceFile {
  const rand = xorshift32(seed);
  const hops = 20;
  const name = (i: number) => `V${i.toString(36).padStart(6, '0')}`;
  const hopOf = (i: number) =>
    i === 0 ? 0 : 1 + Math.min(hops - 1, Math.floor(hops * ((i - 1) / (nodes - 1)) ** 0.6));
  const start: number[] = [0, 1];
  for (let h = 2, i = 1; h <= hops + 1; h++) {
    while (i < nodes && hopOf(i) < h) i++;
    start[h] = i;
  }
  const pick = (h: number) => {
    const lo = start[h]!;
    const hi = Math.max(lo + 1, start[h + 1] ?? nodes);
    return lo + Math.floor(rand() * (hi - lo));
  };
  const t = {
    transfers: [] as TraceFile['transfers'],
    edges: [] as NonNullable<TraceFile['results']['fifo']>['edges'],
  };
  const add = (from: number, to: number) =>
    addTaintedTransfer(
      t,
      `v${t.transfers.length.toString(36).padStart(5, '0')}`,
      name(from),
      name(to),
      hopOf(to),
      rand,
    );
  for (let i = 1; i < nodes; i++) add(hopOf(i) === 1 ? 0 : pick(hopOf(i) - 1), i);
  while (t.transfers.length < edges) {
    const to = 1 + Math.floor(rand() * (nodes - 1));
    const h = hopOf(to);
    add(h === 1 ? 0 : pick(h - 1), to);
  }
  const labels: TraceFile['labels'] = [];
  for (let i = start[hops]!; i < nodes && labels.length < 200; i += 37) {
    labels.push(exchangeLabel(name(i), `Exchange ${i % 11}`));
  }
  return syntheticEnvelope({ seed: name(0), hops, labels, ...t, stops: [] });
}

const sec = (ms: number | undefined) => (ms === undefined ? '?' : `${(ms / 1000).toFixed(2)} s`);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** Rows for the bench table (20k nodes / 40k edges either way; `quick` pans and zooms for 2 s instead of 5 s). */
export async function viewerBenchRows(quick: boolean): Promise<ViewerBenchRow[]> {
  if (!existsSync(CHROMIUM)) {
    return [{ name: 'viewer: skipped', value: `${CHROMIUM} is missing (apt-get install -y chromium)`, target: '' }];
  }
  const nodes = 20_000;
  const edges = 40_000;
  await buildViewer();
  const tmp = mkdtempSync(join(tmpdir(), 'fundflow-viewer-bench-'));
  const file = join(tmp, 'bench.trace.json');
  const text = JSON.stringify(viewerTrace(nodes, edges));
  writeFileSync(file, text);
  const server = await startViewerServer({ port: 0, trace: file });
  const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 850 },
  });
  const rows: ViewerBenchRow[] = [];
  try {
    const page = await context.newPage();
    // Long tasks of each load (for the longest task after the first frame).
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: [number, number][] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask', buffered: true });
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Warm-up load (Chromium's first start, shader compilation caches), then the measured one.
    // Each load runs until sigma's frame is on screen (`ready`), so the next one starts on a quiet page.
    const firstFrames: number[] = [];
    let load = { first: 0, kind: '', sigma: 0, longest: 0 };
    for (let run = 0; run < 2; run++) {
      await page.goto(`${server.url}?trace=/trace.json`);
      await page.waitForFunction(() => window.__fundflow?.ready === true, null, { timeout: 180_000 });
      load = await page.evaluate(() => {
        const f = window.__fundflow;
        const first = f.firstFrameAt ?? 0;
        const sigma = f.sigmaFrameAt ?? first;
        const tasks = (window as unknown as { __longTasks: [number, number][] }).__longTasks;
        // Tasks that started after the first frame was on screen, up to sigma's frame.
        const after = tasks.filter(([at]) => at >= first && at <= sigma).map(([, d]) => d);
        return { first, kind: f.firstFrameKind ?? '?', sigma, longest: after.length > 0 ? Math.max(...after) : 0 };
      });
      firstFrames.push(load.first);
    }
    const state = await page.evaluate(() => ({
      nodes: window.__fundflow.nodes,
      edges: window.__fundflow.edges,
      error: window.__fundflow.error,
      timings: window.__fundflow.timings,
      renderer: (() => {
        const gl = document.createElement('canvas').getContext('webgl2');
        const info = gl?.getExtension('WEBGL_debug_renderer_info');
        return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
      })(),
    }));
    if (state.error !== null || errors.length > 0) throw new Error(`viewer: ${state.error ?? errors.join('; ')}`);
    const first = firstFrames[1]!;
    rows.push({
      name: `viewer: time to first frame, ${state.nodes.toLocaleString('en-US')} nodes / ${state.edges.toLocaleString('en-US')} edges (${(text.length / 1e6).toFixed(0)} MB trace)`,
      value:
        `${(first / 1000).toFixed(2)} s (parse ${sec(state.timings?.parse)}, graph + layout ${sec(state.timings?.model)}, ` +
        `drawing + panels ${sec(state.timings?.draw)}; first frame: ${load.kind === 'picture' ? 'the 2D picture' : 'sigma'}; ` +
        `sigma's WebGL frame on screen at ${sec(load.sigma)}, longest task in between ${load.longest.toFixed(0)} ms; ` +
        `cold start ${(firstFrames[0]! / 1000).toFixed(2)} s)`,
      target: '< 3 s',
      ok: first < 3000,
    });
    await page.waitForTimeout(500);
    const seconds = quick ? 2 : 5;
    const pan = await page.evaluate(async (ms) => {
      const f = window.__fundflow;
      const cam = f.camera()!;
      // (no named functions in here: tsx would wrap them in a helper the page does not have)
      // One camera change at a time, as a drag does it (sigma's captor marks the camera as moving, so
      // hideEdgesOnMove / hideLabelsOnMove apply); each sample is the camera change → that frame on screen.
      // At least `ms` and at least 6 frames (software WebGL is slow), at most a minute.
      const samples: number[] = [];
      f.recordFrames(true);
      const t0 = performance.now();
      while ((performance.now() - t0 < ms || samples.length < 6) && performance.now() - t0 < 60_000) {
        const t = (performance.now() - t0) / 1000;
        const start = performance.now();
        const shown = f.nextFrame();
        // Pan in a circle while zooming in and out (ratio 0.25 … 1.15 of the fitted view).
        f.camera(
          {
            x: cam.x + 0.25 * Math.sin(t * 2),
            y: cam.y + 0.25 * Math.cos(t * 2),
            ratio: cam.ratio * (0.7 + 0.45 * Math.cos(t * 1.7)),
          },
          { moving: true },
        );
        samples.push((await shown) - start);
      }
      const log = f.recordFrames(false);
      const seconds = (performance.now() - t0) / 1000;
      // The camera stops: the full frame (edges and labels) once more.
      const start = performance.now();
      const shown = f.nextFrame();
      f.camera(undefined, { moving: false });
      const still = (await shown) - start;
      return {
        samples,
        // Per frame: its kind (sigma rendered the graph, or the last full frame's bitmap was moved) and draw time.
        render: log.filter((x) => x[3] === 'sigma').map(([a, b]) => b - a),
        bitmap: log.filter((x) => x[3] === 'snapshot').map(([a, b]) => b - a),
        seconds,
        still,
      };
    }, seconds * 1000);
    const p50 = quantile(pan.samples, 0.5);
    const p95 = quantile(pan.samples, 0.95);
    rows.push({
      name: `viewer: frame time while panning + zooming, camera change → frame on screen (${pan.samples.length} frames in ${pan.seconds.toFixed(1)} s)`,
      value:
        `p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...pan.samples).toFixed(1)} ms ` +
        `(${pan.bitmap.length} frames the last full frame's bitmap moved with the camera, draw p50 ` +
        `${pan.bitmap.length > 0 ? quantile(pan.bitmap, 0.5).toFixed(1) : '–'} ms; ${pan.render.length} sigma renders` +
        `${pan.render.length > 0 ? `, p50 ${quantile(pan.render, 0.5).toFixed(1)} ms` : ''}; ` +
        `full frame when the camera stops ${pan.still.toFixed(0)} ms)`,
      target: '< 50 ms',
      ok: p95 < 50,
    });
    rows.push({ name: 'viewer: WebGL renderer of the bench browser', value: state.renderer, target: '' });
  } finally {
    await context.close();
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1]?.endsWith('viewer-bench.ts')) {
  const rows = await viewerBenchRows(process.argv.includes('--quick'));
  for (const r of rows)
    console.log(`| ${r.name} | ${r.value} | ${r.target} | ${r.ok === undefined ? '' : r.ok ? 'yes' : 'NO'} |`);
}
