import { FundflowError, type Label, type LabelCategory, type LabelPackDraft } from '@fundflow/core';
import { normalizeNemAddress } from './address';

/** The as-of date of the known-facts pack: the day of the theft (JST). */
export const KNOWN_FACTS_AS_OF = '2018-01-26';

/**
 * The label pack of the real accounts of the January 2018 NEM drain, from the rows of
 * `coincheck-2018-nem-known-facts.csv` (columns incident, chain, kind, value, role, amount, time, block, source,
 * confidence, note). `address` rows become labels; the role's first word picks the category ("victim:" → victim,
 * "attacker:" / "attacker-related:" → attacker, anything else → other); source and confidence are kept per row.
 * Throws `INVALID_ARGUMENT` for a malformed file or an address that fails the NEM checksum.
 * @example serializeCsvPack(buildKnownFactsPack(readFileSync('coincheck-2018-nem-known-facts.csv', 'utf8')))
 */
export function buildKnownFactsPack(factsCsv: string): LabelPackDraft {
  const [header, ...rows] = parseCsv(factsCsv);
  const col = (name: string) => {
    const i = header?.indexOf(name) ?? -1;
    if (i < 0) throw new FundflowError('INVALID_ARGUMENT', `facts file has no "${name}" column`, { details: { name } });
    return i;
  };
  const [kind, chain, value, role, source, confidence, note] = [
    'kind',
    'chain',
    'value',
    'role',
    'source',
    'confidence',
    'note',
  ].map(col) as [number, number, number, number, number, number, number];
  const labels: Label[] = [];
  for (const row of rows) {
    if (row[kind] !== 'address' || row[chain] !== 'nem') continue;
    const r = row[role] ?? '';
    const c = row[confidence] ?? '';
    if (c !== 'high' && c !== 'medium' && c !== 'low') {
      throw new FundflowError('INVALID_ARGUMENT', `facts row ${row[value]}: confidence "${c}"`, { details: { c } });
    }
    const category: LabelCategory = /^victim\b/.test(r)
      ? 'victim'
      : /^attacker(-related)?\b/.test(r)
        ? 'attacker'
        : 'other';
    const n = (row[note] ?? '').trim();
    labels.push({
      chain: 'nem',
      address: normalizeNemAddress(row[value] ?? '', 'mainnet'),
      name: r.trim(),
      category,
      pack: 'coincheck-2018-known-facts',
      source: `${(row[source] ?? '').trim()}${n ? ` (note: ${n})` : ''}`,
      asOf: KNOWN_FACTS_AS_OF,
      confidence: c,
    });
  }
  return {
    info: {
      name: 'coincheck-2018-known-facts',
      title: 'Real NEM accounts of the January 2018 exchange drain (published facts, each row with its source)',
      source:
        'shared/realdata/incidents/coincheck-2018-nem-known-facts.csv (public press and tracer repositories, looked up 2025)',
      asOf: KNOWN_FACTS_AS_OF,
    },
    labels,
  };
}

/** RFC 4180 rows (quoted fields with "" escapes, CRLF or LF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
