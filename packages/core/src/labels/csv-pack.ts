import { FundflowError } from '../errors';
import type { Label } from '../types';
import { compareStrings, LABEL_CATEGORIES } from '../types';
import {
  CONFIDENCES,
  isChainName,
  isConfidence,
  isIsoDate,
  isLabelCategory,
  type LabelPack,
  type LabelPackDraft,
  type LabelPackInfo,
  type ParsePackOptions,
  packSha256,
} from './label-pack';

/** Column order `serializeCsvPack` writes; `parseCsvPack` accepts the columns in any order. */
export const CSV_PACK_COLUMNS = ['chain', 'address', 'name', 'category', 'source', 'as_of', 'confidence'] as const;
type Column = (typeof CSV_PACK_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly Column[] = ['chain', 'address', 'name', 'category'];

/** Metadata keys of the leading `# key: value` lines. `confidence` is only a default for rows. */
const META_KEYS = ['name', 'title', 'source', 'as-of', 'license', 'confidence'] as const;
type MetaKey = (typeof META_KEYS)[number];

interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: string[];
}

function invalid(message: string, line: number, extra: Record<string, unknown> = {}): FundflowError {
  return new FundflowError('INVALID_ARGUMENT', `label CSV line ${line}: ${message}`, { details: { line, ...extra } });
}

/** RFC 4180 records from `text[start..]`. Unquoted fields are trimmed; quoted ones are kept as written. */
function readRecords(text: string, start: number, firstLine: number): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = start;
  let line = firstLine;
  while (i < n) {
    const record: CsvRecord = { line, fields: [] };
    let blank = true;
    for (;;) {
      if (text[i] === '"') {
        blank = false;
        i++;
        let value = '';
        for (;;) {
          if (i >= n) throw invalid('a quoted field is not closed', record.line);
          const c = text[i] as string;
          if (c === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          value += c;
          i++;
        }
        record.fields.push(value);
        if (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          throw invalid('text after the closing quote of a field (write "" for a quote inside quotes)', line);
        }
      } else {
        let j = i;
        while (j < n && text[j] !== ',' && text[j] !== '\n' && !(text[j] === '\r' && text[j + 1] === '\n')) j++;
        const raw = text.slice(i, j);
        if (raw.includes('"')) throw invalid('a quote inside an unquoted field: quote the whole field', line);
        if (raw.trim() !== '' || text[j] === ',') blank = false;
        record.fields.push(raw.trim());
        i = j;
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') {
      i++;
      line++;
    }
    if (!blank || record.fields.length > 1) records.push(record);
  }
  return records;
}

/**
 * Reads a label pack in fundflow's CSV format: optional leading `# key: value` lines (name, title, source, as-of,
 * license, confidence; other `#` lines are comments), then the header `chain,address,name,category,source,as_of,confidence`
 * and one label per row. Empty row source / as_of / confidence take the pack's `# source` / `# as-of` / `# confidence`.
 * Malformed input throws `INVALID_ARGUMENT` with `details.line`.
 * @example
 *   parseCsvPack('# name: mine\n# source: my notes\n# as-of: 2024-05-01\nchain,address,name,category,source,as_of,confidence\n' +
 *     'bitcoin,bc1qxy…,Kraken deposit,exchange,,,medium\n').labels[0].source === 'my notes'
 */
export function parseCsvPack(text: string, options: ParsePackOptions = {}): LabelPack {
  const sha256 = packSha256(text, options.sha256);
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;

  const meta = new Map<MetaKey, string>();
  let pos = 0;
  let line = 1;
  while (pos < body.length) {
    const end = body.indexOf('\n', pos);
    const next = end === -1 ? body.length : end + 1;
    const raw = body.slice(pos, end === -1 ? body.length : end).replace(/\r$/, '');
    if (raw.trim() !== '' && !raw.startsWith('#')) break;
    const m = /^#\s*([A-Za-z][A-Za-z_-]*)\s*:(.*)$/.exec(raw);
    const key = m?.[1]?.toLowerCase().replace('_', '-');
    if (m && (META_KEYS as readonly string[]).includes(key as string)) {
      const metaKey = key as MetaKey;
      if (meta.has(metaKey)) throw invalid(`"# ${metaKey}:" given twice`, line);
      meta.set(metaKey, (m[2] as string).trim());
    }
    pos = next;
    line++;
  }

  const asOfMeta = meta.get('as-of');
  if (asOfMeta !== undefined && !isIsoDate(asOfMeta)) throw invalid(`# as-of "${asOfMeta}" is not YYYY-MM-DD`, 1);
  const confidenceMeta = meta.get('confidence');
  if (confidenceMeta !== undefined && !isConfidence(confidenceMeta)) {
    throw invalid(`# confidence "${confidenceMeta}" is not one of ${CONFIDENCES.join(', ')}`, 1);
  }
  const name = meta.get('name') || options.name;
  if (!name) throw invalid('the pack has no name: add a "# name: …" line', 1);
  const source = meta.get('source');
  if (!source) throw invalid('the pack has no source: add a "# source: …" line saying where the labels come from', 1);
  if (!asOfMeta) throw invalid('the pack has no date: add a "# as-of: YYYY-MM-DD" line', 1);

  const [header, ...rows] = readRecords(body, pos, line);
  if (!header) throw invalid(`no header row: expected ${CSV_PACK_COLUMNS.join(',')}`, line);
  const columns = new Map<Column, number>();
  header.fields.forEach((field, index) => {
    const column = field.toLowerCase().replace('-', '_');
    if (!(CSV_PACK_COLUMNS as readonly string[]).includes(column)) {
      throw invalid(`unknown column "${field}": expected ${CSV_PACK_COLUMNS.join(',')}`, header.line);
    }
    if (columns.has(column as Column)) throw invalid(`column "${column}" appears twice`, header.line);
    columns.set(column as Column, index);
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!columns.has(column)) throw invalid(`missing column "${column}"`, header.line);
  }

  const labels = rows.map((row): Label => {
    if (row.fields.length !== header.fields.length) {
      throw invalid(`${row.fields.length} fields, the header has ${header.fields.length}`, row.line);
    }
    const get = (column: Column): string => {
      const index = columns.get(column);
      return index === undefined ? '' : (row.fields[index] as string);
    };
    const chain = get('chain');
    if (!isChainName(chain)) {
      throw invalid(`chain "${chain}" is not a chain name (lowercase, e.g. bitcoin, or *)`, row.line, {
        column: 'chain',
      });
    }
    const address = get('address');
    if (address === '') throw invalid('missing address', row.line, { column: 'address' });
    if (/\s/.test(address)) throw invalid(`address "${address}" contains whitespace`, row.line, { column: 'address' });
    const labelName = get('name');
    if (labelName.trim() === '') throw invalid('missing name', row.line, { column: 'name' });
    const category = get('category');
    if (!isLabelCategory(category)) {
      throw invalid(`unknown category "${category}": use one of ${LABEL_CATEGORIES.join(', ')}`, row.line, {
        column: 'category',
      });
    }
    const asOf = get('as_of') || asOfMeta;
    if (!isIsoDate(asOf)) throw invalid(`as_of "${asOf}" is not YYYY-MM-DD`, row.line, { column: 'as_of' });
    const confidence = get('confidence') || confidenceMeta;
    if (confidence === undefined) {
      throw invalid('missing confidence and no "# confidence:" default', row.line, { column: 'confidence' });
    }
    if (!isConfidence(confidence)) {
      throw invalid(`unknown confidence "${confidence}": use one of ${CONFIDENCES.join(', ')}`, row.line, {
        column: 'confidence',
      });
    }
    return {
      chain,
      address,
      name: labelName,
      category,
      pack: name,
      source: get('source') || source,
      asOf,
      confidence,
    };
  });

  const info: LabelPackInfo = { name, source, asOf: asOfMeta, sha256, count: labels.length };
  const title = meta.get('title');
  if (title) info.title = title;
  const license = meta.get('license');
  if (license) info.license = license;
  return { info, labels };
}

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function metaLine(key: MetaKey, value: string): string {
  if (/[\r\n]/.test(value) || value !== value.trim() || value === '') {
    throw new FundflowError('INVALID_ARGUMENT', `pack ${key} cannot be written as a "# ${key}:" line`, {
      details: { key, value },
    });
  }
  return `# ${key}: ${value}\n`;
}

function compareRows(a: Label, b: Label): number {
  return (
    compareStrings(a.chain, b.chain) ||
    compareStrings(a.address, b.address) ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.category, b.category) ||
    compareStrings(a.source, b.source) ||
    compareStrings(a.asOf, b.asOf) ||
    compareStrings(a.confidence, b.confidence)
  );
}

/**
 * Writes a pack in the format `parseCsvPack` reads, byte-for-byte the same for the same labels in any order: rows
 * sorted by chain, address, name; a row's source / as_of is left empty when it equals the pack's; LF line ends.
 * @example writeFileSync('labels/mine.csv', serializeCsvPack({ info: { name: 'mine', source: 'my notes', asOf: '2024-05-01' }, labels }))
 */
export function serializeCsvPack(pack: LabelPackDraft): string {
  const { info } = pack;
  let out = metaLine('name', info.name);
  if (info.title !== undefined) out += metaLine('title', info.title);
  out += metaLine('source', info.source);
  out += metaLine('as-of', info.asOf);
  if (info.license !== undefined) out += metaLine('license', info.license);
  out += `${CSV_PACK_COLUMNS.join(',')}\n`;
  for (const label of [...pack.labels].sort(compareRows)) {
    const row = [
      label.chain,
      label.address,
      label.name,
      label.category,
      label.source === info.source ? '' : label.source,
      label.asOf === info.asOf ? '' : label.asOf,
      label.confidence,
    ];
    out += `${row.map(csvField).join(',')}\n`;
  }
  return out;
}
