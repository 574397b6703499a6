import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Asset, serializeTrace, type TraceFile } from '@fundflow/core';

/** Writes a trace file (creating folders). */
export function writeTrace(path: string, trace: TraceFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, serializeTrace(trace));
}

/** Base units → a decimal string with the asset's symbol, exactly (no floats). */
export function formatAmount(units: string | bigint, asset: Pick<Asset, 'decimals' | 'symbol'>): string {
  const v = BigInt(units);
  const scale = 10n ** BigInt(asset.decimals);
  const whole = v / scale;
  const frac = (v % scale).toString().padStart(asset.decimals, '0').replace(/0+$/, '');
  return `${whole.toLocaleString('en-US')}${frac ? `.${frac}` : ''} ${asset.symbol}`;
}

/** A short human summary of a trace: per policy, stolen, where it stopped, the cash-outs. */
export function summaryText(trace: TraceFile): string {
  const lines: string[] = [];
  for (const [policy, r] of Object.entries(trace.results)) {
    if (!r) continue;
    lines.push(
      `${policy}: ${formatAmount(r.summary.stolen, trace.asset)} traced over ${r.summary.maxHop} hops, ${r.edges.length} tainted transfers`,
    );
    for (const [reason, amount] of Object.entries(r.summary.byReason).sort()) {
      lines.push(`  ${reason.padEnd(12)} ${formatAmount(amount, trace.asset)}`);
    }
    for (const c of r.summary.cashOuts.slice(0, 10)) {
      lines.push(`  → ${c.label} (${c.category}) ${c.address}: ${formatAmount(c.amount, trace.asset)}`);
    }
    if (r.summary.cashOuts.length > 10) lines.push(`  … and ${r.summary.cashOuts.length - 10} more cash-out points`);
  }
  return lines.join('\n');
}
