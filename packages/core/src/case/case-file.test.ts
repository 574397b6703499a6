import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../trace-file/trace-file';
import { compareExpected, parseCaseFile } from './case-file';

const dir = fileURLToPath(new URL('../../../../fixtures/sim-utxo-exchange-drain/', import.meta.url));
const caseFile = parseCaseFile(readFileSync(`${dir}case.json`, 'utf8'));
const trace = parseTrace(readFileSync(`${dir}expected.trace.json`, 'utf8'));

describe('compareExpected', () => {
  it('finds no difference between a case and its own golden trace', () => {
    expect(compareExpected(caseFile.expected, trace)).toEqual([]);
  });

  it('names a changed amount, a missing and an extra cash-out, the stolen total and an unlisted reason', () => {
    const fifo = caseFile.expected.fifo!;
    const [first, second, ...rest] = fifo.cashOuts;
    const altered = {
      fifo: {
        stolen: '1',
        cashOuts: [
          { ...first!, amount: (BigInt(first!.amount) + 1n).toString() },
          ...rest,
          { address: 'x', amount: '5' },
        ],
        byReason: { 'cash-out': fifo.byReason!['cash-out']! },
      },
    };
    const problems = compareExpected(altered, trace);
    expect(problems).toContain(`fifo: stolen ${trace.results.fifo!.summary.stolen}, expected 1`);
    expect(problems.some((p) => p.startsWith(`fifo: cash-out ${first!.address} got`))).toBe(true);
    expect(problems).toContain('fifo: cash-out x got nothing, expected 5');
    expect(problems.some((p) => p.startsWith(`fifo: unexpected cash-out ${second!.address}`))).toBe(true);
    expect(problems.some((p) => p.startsWith('fifo: unspent '))).toBe(true);
  });

  it('reports a policy the case expects but the trace did not run', () => {
    expect(
      compareExpected(
        { fifo: caseFile.expected.fifo!, poison: { cashOuts: [] } },
        { ...trace, results: { fifo: trace.results.fifo! } },
      ),
    ).toEqual(['poison: not traced']);
  });
});
