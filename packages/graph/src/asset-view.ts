import { compareStrings, type TraceFile } from '@fundflow/core';

/** Asset ids of a trace: every asset of an all-asset trace (its own asset first), else just the trace's asset. */
export function traceAssets(trace: TraceFile): string[] {
  if (!trace.assets) return [trace.asset.id];
  const others = trace.assets.map((a) => a.id).filter((id) => id !== trace.asset.id);
  return [trace.asset.id, ...others.sort(compareStrings)];
}

/**
 * One asset's part of an all-asset trace, as a single-asset trace: its transfers, edges and stops, its totals from
 * `summary.byAsset`, and `asset` set to it. Everything that reads one asset's amounts (the graph builder, the
 * analytics, the report) then works unchanged. A single-asset trace comes back as it is.
 * @example for (const id of traceAssets(trace)) buildReportSections(assetView(trace, id))
 */
export function assetView(trace: TraceFile, id: string): TraceFile {
  if (!trace.assets) return trace;
  const asset = trace.assets.find((a) => a.id === id);
  if (!asset) throw new Error(`the trace has no asset ${id}`);
  const transfers = trace.transfers.filter((t) => t.asset === id);
  const ids = new Set(transfers.map((t) => t.id));
  const results: TraceFile['results'] = {};
  for (const [policy, r] of Object.entries(trace.results) as [
    keyof TraceFile['results'],
    TraceFile['results']['fifo'],
  ][]) {
    if (!r) continue;
    const edges = r.edges.filter((e) => ids.has(e.transfer));
    const totals = r.summary.byAsset?.[id];
    results[policy] = {
      edges,
      stops: r.stops.filter((s) => (s.asset ?? trace.asset.id) === id).map(({ asset: _, ...s }) => s),
      summary: {
        stolen: totals?.stolen ?? '0',
        byReason: totals?.byReason ?? {},
        cashOuts: r.summary.cashOuts.filter((c) => (c.asset ?? trace.asset.id) === id).map(({ asset: _, ...c }) => c),
        maxHop: edges.reduce((m, e) => Math.max(m, e.hop), 0),
      },
    };
  }
  const { assets: _, ...rest } = trace;
  return { ...rest, asset, params: { ...trace.params, asset: id }, transfers, results };
}
