import { FundflowError } from '../errors';
import { type Confidence, LABEL_CATEGORIES, type Label, type LabelCategory } from '../types';
import { sha256Hex } from '../util/hash';

/** What a registry and a trace file record about a pack: where its facts came from and which bytes were read. */
export interface LabelPackInfo {
  /** Short id, copied into every label's `pack` and into trace files, e.g. `ofac-sdn`. */
  name: string;
  title?: string;
  /** Where the pack's facts were published. A label may name a more specific source of its own. */
  source: string;
  /** Date the pack's facts were true (YYYY-MM-DD). */
  asOf: string;
  /** sha256 (hex) of the pack file's text. */
  sha256: string;
  /** Number of labels in the pack. */
  count: number;
  license?: string;
}

/** A parsed pack: its provenance and its labels (every label's `pack` is `info.name`). */
export interface LabelPack {
  info: LabelPackInfo;
  labels: Label[];
}

/** A pack before it is written to a file: no sha256 or count yet. A `LabelPack` is also a draft. */
export interface LabelPackDraft {
  info: Omit<LabelPackInfo, 'sha256' | 'count'>;
  labels: Label[];
}

export interface ParsePackOptions {
  /** Pack name used when the file does not name the pack itself (TagPacks never do). */
  name?: string;
  /** Expected sha256 (hex) of the text: parsing fails with `INVALID_ARGUMENT` when the text does not hash to it. */
  sha256?: string;
}

/** Confidence levels, highest first. */
export const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];

/**
 * True for a known label category.
 * @example isLabelCategory('mixer') === true
 */
export function isLabelCategory(value: string): value is LabelCategory {
  return (LABEL_CATEGORIES as readonly string[]).includes(value);
}

/**
 * True for `high`, `medium` or `low`.
 * @example isConfidence('medium') === true
 */
export function isConfidence(value: string): value is Confidence {
  return (CONFIDENCES as readonly string[]).includes(value);
}

/**
 * True for a real calendar date written YYYY-MM-DD.
 * @example isIsoDate('2024-02-30') === false
 */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/**
 * True for a chain name as labels use it: lowercase words joined by `-` (`bitcoin-cash`), or `*` for "any chain".
 * @example isChainName('ethereum-classic') === true
 */
export function isChainName(value: string): boolean {
  return value === '*' || /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value);
}

/**
 * sha256 (hex) of a pack's text, checked against `expected` when one is given.
 * @example packSha256('# name: x\n') // 64 hex chars
 */
export function packSha256(text: string, expected?: string): string {
  const actual = sha256Hex(text);
  if (expected !== undefined && expected.toLowerCase() !== actual) {
    throw new FundflowError(
      'INVALID_ARGUMENT',
      `pack text has sha256 ${actual}, expected ${expected}: the file changed`,
      {
        details: { expected, actual },
      },
    );
  }
  return actual;
}

/**
 * Throws `INVALID_ARGUMENT` naming the first field of `label` that is missing or out of range.
 * @example checkLabel({ chain: 'bitcoin', address: '1A…', name: 'x', category: 'exchange', pack: 'p', source: 's', asOf: '2024-01-01', confidence: 'low' })
 */
export function checkLabel(label: Label, details: Record<string, unknown> = {}): void {
  const fail = (field: string, why: string): never => {
    throw new FundflowError('INVALID_ARGUMENT', `label ${field} ${why}`, { details: { ...details, field } });
  };
  if (!isChainName(label.chain)) fail('chain', `"${label.chain}" is not a chain name (lowercase, e.g. bitcoin, or *)`);
  if (label.address === '' || /\s/.test(label.address)) fail('address', 'is empty or contains whitespace');
  if (label.name.trim() === '') fail('name', 'is empty');
  if (!isLabelCategory(label.category)) {
    fail('category', `"${label.category}" is not one of ${LABEL_CATEGORIES.join(', ')}`);
  }
  if (label.pack.trim() === '') fail('pack', 'is empty');
  if (label.source.trim() === '') fail('source', 'is empty');
  if (!isIsoDate(label.asOf)) fail('asOf', `"${label.asOf}" is not a YYYY-MM-DD date`);
  if (!isConfidence(label.confidence))
    fail('confidence', `"${label.confidence}" is not one of ${CONFIDENCES.join(', ')}`);
}
