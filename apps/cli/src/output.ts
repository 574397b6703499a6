import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Asset, serializeTrace, type TraceFile } from '@fundflow/core';

/** Writes a trace file (creating folders). */
export function writeTrace(path: string, trace: TraceFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, serializeTrace(trace));
}

/** Base units → a decimal string with the asset's symbol, exactly (no floats); tokens of unknown decimals: raw units. */
export function formatAmount(
  units: string | bigint,
  asset: Pick<Asset, 'decimals' | 'symbol'> & { decimalsKnown?: boolean | undefined },
): string {
  if (asset.decimalsKnown === false) return `${BigInt(units).toLocaleString('en-US')} ${asset.symbol} (raw units)`;
  const v = BigInt(units);
  const scale = 10n ** BigInt(asset.decimals);
  const whole = v / scale;
  const frac = (v % scale).toString().padStart(asset.decimals, '0').replace(/0+$/, '');
  return `${whole.toLocaleString('en-US')}${frac ? `.${frac}` : ''} ${asset.symbol}`;
}

/** The asset record of an asset id in a trace (the trace's own asset when the id is absent or unknown). */
export function assetIn(trace: TraceFile, id: string | undefined): TraceFile['asset'] {
  if (id === undefined) return trace.asset;
  return trace.assets?.find((a) => a.id === id) ?? trace.asset;
}

/** A short human summary of a trace: per policy, stolen, where it stopped, the cash-outs (per asset when several). */
export function summaryText(trace: TraceFile): string {
  const lines: string[] = [];
  for (const [policy, r] of Object.entries(trace.results)) {
    if (!r) continue;
    const perAsset = r.summary.byAsset ?? {
      [trace.asset.id]: { stolen: r.summary.stolen, swappedIn: '0', byReason: r.summary.byReason },
    };
    const stolen = Object.entries(perAsset)
      .filter(([, t]) => t.stolen !== '0' || t.swappedIn !== '0')
      .map(
        ([id, t]) =>
          formatAmount(t.stolen, assetIn(trace, id)) +
          (t.swappedIn !== '0' ? ` (+${formatAmount(t.swappedIn, assetIn(trace, id))} swapped in)` : ''),
      );
    lines.push(
      `${policy}: ${stolen.join(' + ') || formatAmount('0', trace.asset)} traced over ${r.summary.maxHop} hops, ${r.edges.length} tainted transfers`,
    );
    for (const [id, t] of Object.entries(perAsset)) {
      for (const [reason, amount] of Object.entries(t.byReason).sort()) {
        lines.push(`  ${reason.padEnd(12)} ${formatAmount(amount, assetIn(trace, id))}`);
      }
    }
    for (const c of r.summary.cashOuts.slice(0, 10)) {
      lines.push(`  → ${c.label} (${c.category}) ${c.address}: ${formatAmount(c.amount, assetIn(trace, c.asset))}`);
    }
    if (r.summary.cashOuts.length > 10) lines.push(`  … and ${r.summary.cashOuts.length - 10} more cash-out points`);
  }
  return lines.join('\n');
}
