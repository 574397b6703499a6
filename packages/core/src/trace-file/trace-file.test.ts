import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isFundflowError } from '../errors';
import { parseTrace, serializeTrace } from './trace-file';

const golden = fileURLToPath(
  new URL('../../../../fixtures/sim-utxo-exchange-drain/expected.trace.json', import.meta.url),
);

describe('fundflow.trace/1 files', () => {
  it('read and write back byte for byte', () => {
    const text = readFileSync(golden, 'utf8');
    const trace = parseTrace(text);
    expect(serializeTrace(trace)).toBe(text);
    expect(trace.format).toBe('fundflow.trace/1');
    expect(trace.results.fifo?.summary.cashOuts.length).toBeGreaterThan(0);
  });

  it('are written with sorted keys whatever order the object was built in', () => {
    const trace = parseTrace(readFileSync(golden, 'utf8'));
    const reordered = Object.fromEntries(Object.entries(trace).reverse()) as typeof trace;
    expect(serializeTrace(reordered)).toBe(serializeTrace(trace));
  });

  it('reject what is not a valid trace with TRACE_INVALID naming the place', () => {
    const trace = JSON.parse(readFileSync(golden, 'utf8'));
    const cases: [string, string | undefined][] = [
      ['{"format": "fundflow.trace/1", "engine":', undefined],
      [JSON.stringify({ ...trace, format: 'fundflow.trace/9' }), undefined],
      [JSON.stringify({ ...trace, transfers: [{ ...trace.transfers[0], amount: '1.5' }] }), 'transfers.0.amount'],
      [JSON.stringify({ ...trace, transfers: [{ ...trace.transfers[0], amount: 15 }] }), 'transfers.0.amount'],
      [JSON.stringify({ ...trace, params: { ...trace.params, seeds: [] } }), 'params.seeds'],
    ];
    for (const [text, path] of cases) {
      let error: unknown;
      try {
        parseTrace(text);
      } catch (e) {
        error = e;
      }
      expect(isFundflowError(error, 'TRACE_INVALID')).toBe(true);
      if (path) expect((error as { details: { path: string } }).details.path).toBe(path);
    }
  });
});
