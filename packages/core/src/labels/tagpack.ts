import { isNode, isSeq, LineCounter, parseDocument } from 'yaml';
import { FundflowError } from '../errors';
import type { Confidence, Label, LabelCategory } from '../types';
import { compareStrings } from '../types';
import { isIsoDate, type LabelPack, type LabelPackInfo, type ParsePackOptions, packSha256 } from './label-pack';

/**
 * GraphSense currency / network codes → fundflow chain names. `network` names the chain; `currency` is used when a tag
 * has no network (as the TagPack tool does). USDT / USDC as a network means the pack did not say which chain: `*`.
 */
export const TAGPACK_CHAINS: Readonly<Record<string, string>> = {
  BTC: 'bitcoin',
  XBT: 'bitcoin',
  LTC: 'litecoin',
  BCH: 'bitcoin-cash',
  BSV: 'bitcoin-sv',
  BTG: 'bitcoin-gold',
  DASH: 'dash',
  DOGE: 'dogecoin',
  ZEC: 'zcash',
  XMR: 'monero',
  XVG: 'verge',
  ETH: 'ethereum',
  WETH: 'ethereum',
  ETC: 'ethereum-classic',
  ARB: 'arbitrum',
  BSC: 'bsc',
  OP: 'optimism',
  MATIC: 'polygon',
  TRX: 'tron',
  XRP: 'ripple',
  XEM: 'nem',
  ALGO: 'algorand',
  EOS: 'eos',
  EOSIO: 'eos',
  USDT: '*',
  USDC: '*',
};

/*
 * GraphSense confidence ids (graphsense-tagpack-tool db/confidence.csv, level 0–100) → fundflow confidence:
 *   high   (level ≥ 60): override 100, ownership 100, manual_transaction 90, service_api 70, authority_data 60
 *   medium (level 40–59): trusted_provider 50, service_data 50, forensic 50, untrusted_transaction 40
 *   low    (level < 40): web_crawl 20, heuristic 10, unknown 5
 * fundflow's own high / medium / low are accepted as is. A tag without confidence gets `low`: the TagPack tool gives
 * such tags the lowest level (`unknown`).
 */
const CONFIDENCE_MAP: Readonly<Record<string, Confidence>> = {
  override: 'high',
  ownership: 'high',
  manual_transaction: 'high',
  service_api: 'high',
  authority_data: 'high',
  trusted_provider: 'medium',
  service_data: 'medium',
  forensic: 'medium',
  untrusted_transaction: 'medium',
  web_crawl: 'low',
  heuristic: 'low',
  unknown: 'low',
  high: 'high',
  medium: 'medium',
  low: 'low',
};

/*
 * GraphSense concepts (INTERPOL DW-VA taxonomy, graphsense-tagpack-tool db/concepts.yaml, plus older entity / abuse
 * ids) → fundflow categories. A tag's `category`, `abuse` and `concepts` are all read:
 *   sanctioned: sanction, sanctioned, sanctions — in any of the three fields, it wins
 *   then the `category` concept, then `abuse`, then `concepts` (first that maps to something other than `other`):
 *   exchange:   exchange
 *   mixer:      mixing_service, mixing, coinjoin, mixer, tumbler
 *   bridge:     defi_bridge, bridge
 *   attacker:   perpetrator, hacker, service_hack, scam, phishing, ransomware, extortion, sextortion, ponzi_scheme,
 *               pyramid_scheme, investment_fraud, financial_crime, money_laundering, payment_card_fraud, terrorism,
 *               extremism
 *   victim:     victim
 *   service:    service, wallet_service, escrow_wallet, ico_wallet, market, marketplace, shop, gambling,
 *               payment_processor, mining_service, miner, mining_pool, hosting, vpn, faucet, atm, filesharing, index,
 *               messaging_service, search_engine, defi, defi_lending, defi_dex, defi_derivative, defi_derivatives
 *   other:      anything else (user, organization, donation, hot_wallet, …) and tags without a concept
 */
const CATEGORY_MAP: Readonly<Record<string, LabelCategory>> = {
  exchange: 'exchange',
  mixing_service: 'mixer',
  mixing: 'mixer',
  coinjoin: 'mixer',
  mixer: 'mixer',
  tumbler: 'mixer',
  defi_bridge: 'bridge',
  bridge: 'bridge',
  perpetrator: 'attacker',
  hacker: 'attacker',
  service_hack: 'attacker',
  scam: 'attacker',
  phishing: 'attacker',
  ransomware: 'attacker',
  extortion: 'attacker',
  sextortion: 'attacker',
  ponzi_scheme: 'attacker',
  pyramid_scheme: 'attacker',
  investment_fraud: 'attacker',
  financial_crime: 'attacker',
  money_laundering: 'attacker',
  payment_card_fraud: 'attacker',
  terrorism: 'attacker',
  extremism: 'attacker',
  victim: 'victim',
  service: 'service',
  wallet_service: 'service',
  escrow_wallet: 'service',
  ico_wallet: 'service',
  market: 'service',
  marketplace: 'service',
  shop: 'service',
  gambling: 'service',
  payment_processor: 'service',
  mining_service: 'service',
  miner: 'service',
  mining_pool: 'service',
  hosting: 'service',
  vpn: 'service',
  faucet: 'service',
  atm: 'service',
  filesharing: 'service',
  index: 'service',
  messaging_service: 'service',
  search_engine: 'service',
  defi: 'service',
  defi_lending: 'service',
  defi_dex: 'service',
  defi_derivative: 'service',
  defi_derivatives: 'service',
};
const SANCTION_CONCEPTS = new Set(['sanction', 'sanctioned', 'sanctions']);

/** Header fields that describe the pack; every other header field is inherited by each tag. */
const HEADER_ONLY = new Set(['title', 'creator', 'description', 'owner', 'is_public', 'tags', 'header']);

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapConcept(id: string | undefined): LabelCategory {
  return (id !== undefined && CATEGORY_MAP[id.toLowerCase()]) || 'other';
}

function mapCategory(category: string | undefined, abuse: string | undefined, concepts: string[]): LabelCategory {
  const all = [category, abuse, ...concepts].filter((c): c is string => c !== undefined).map((c) => c.toLowerCase());
  if (all.some((c) => SANCTION_CONCEPTS.has(c))) return 'sanctioned';
  for (const id of [category, abuse, ...concepts]) {
    const mapped = mapConcept(id);
    if (mapped !== 'other') return mapped;
  }
  return 'other';
}

/** `2019-03-15`, `2019-3-5`, `2019-03-15T10:00:00Z` → `2019-03-15`; undefined when not a date. */
function toIsoDate(value: string): string | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ].*)?$/.exec(value);
  if (!m) return undefined;
  const date = `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
  return isIsoDate(date) ? date : undefined;
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Reads a GraphSense TagPack (YAML): header `title`, `creator`, `description`, `is_public`, `tags[]`; tag fields
 * `address`, `label`, `source`, `currency` / `network`, `category` / `abuse` / `concepts`, `confidence`, `lastmod`.
 * Tag fields written in the header (or under `header:`) are inherited by every tag, which may override them.
 * Categories, confidence ids and currency codes are mapped as documented above; tags with only a `tx_hash` are skipped.
 * The pack is named by `options.name`, else by its title. Bad YAML or a missing field throws `INVALID_ARGUMENT`.
 * @example
 *   parseTagPack('title: Demo\ncreator: Jane\nlastmod: 2024-01-02\ncurrency: BTC\nsource: https://example.org\n' +
 *     'tags:\n  - address: 1Archive1n2C579dMsAu3iC6tWzuQJz8dN\n    label: Internet Archive\n').labels[0].chain === 'bitcoin'
 */
export function parseTagPack(yamlText: string, options: ParsePackOptions = {}): LabelPack {
  const sha256 = packSha256(yamlText, options.sha256);
  const lineCounter = new LineCounter();
  // failsafe: every scalar stays a string, so unquoted 0x… addresses are not read as hex numbers.
  const doc = parseDocument(yamlText, { schema: 'failsafe', lineCounter, uniqueKeys: true, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = lineCounter.linePos(yamlError.pos[0]).line;
    throw new FundflowError('INVALID_ARGUMENT', `TagPack is not valid YAML (line ${line}): ${yamlError.message}`, {
      details: { line },
      cause: yamlError,
    });
  }
  const root = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  if (!isFields(root))
    throw new FundflowError('INVALID_ARGUMENT', 'TagPack YAML must be a mapping with title, creator and tags');

  const pack: Fields = { ...root };
  if (isFields(pack.header)) Object.assign(pack, pack.header);

  const text = (fields: Fields, key: string, where: Record<string, unknown>): string | undefined => {
    const value = fields[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      throw new FundflowError('INVALID_ARGUMENT', `TagPack field "${key}" must be text`, {
        details: { ...where, field: key },
      });
    }
    const t = value.trim();
    return t === '' || t === '~' || /^null$/i.test(t) ? undefined : t;
  };

  const title = text(pack, 'title', {});
  const creator = text(pack, 'creator', {});
  if (!title) throw new FundflowError('INVALID_ARGUMENT', 'TagPack has no title', { details: { field: 'title' } });
  if (!creator)
    throw new FundflowError('INVALID_ARGUMENT', 'TagPack has no creator', { details: { field: 'creator' } });
  const tags = pack.tags;
  if (!Array.isArray(tags)) {
    throw new FundflowError('INVALID_ARGUMENT', 'TagPack has no tags list', { details: { field: 'tags' } });
  }

  const name = options.name || slug(title);
  if (!name) {
    throw new FundflowError('INVALID_ARGUMENT', `cannot make a pack name from title "${title}": pass options.name`, {
      details: { field: 'title' },
    });
  }

  const tagsNode = doc.get('tags') ?? doc.getIn(['header', 'tags']);
  const tagLine = (index: number): number | undefined => {
    const item = isSeq(tagsNode) ? tagsNode.items[index] : undefined;
    return isNode(item) && item.range ? lineCounter.linePos(item.range[0]).line : undefined;
  };

  const inherited: Fields = {};
  for (const [key, value] of Object.entries(pack)) if (!HEADER_ONLY.has(key)) inherited[key] = value;

  const labels: Label[] = [];
  for (const [index, tag] of (tags as unknown[]).entries()) {
    const line = tagLine(index);
    const where: Record<string, unknown> = line === undefined ? { tag: index } : { tag: index, line };
    const fail: (why: string, field: string) => never = (why, field) => {
      throw new FundflowError('INVALID_ARGUMENT', `TagPack tag ${index}${line ? ` (line ${line})` : ''}: ${why}`, {
        details: { ...where, field },
      });
    };
    if (!isFields(tag)) fail('is not a mapping', 'tags');
    const fields: Fields = { ...inherited, ...tag };
    const address = text(fields, 'address', where);
    if (address === undefined) {
      // A transaction tag labels no address: nothing for the registry to match.
      if (text(fields, 'tx_hash', where) !== undefined) continue;
      fail('has no address', 'address');
    }
    if (/\s/.test(address)) fail(`address "${address}" contains whitespace`, 'address');
    const label = text(fields, 'label', where) ?? fail('has no label', 'label');
    const source = text(fields, 'source', where) ?? fail('has no source', 'source');
    const code =
      text(fields, 'network', where) ??
      text(fields, 'currency', where) ??
      fail('has no network or currency', 'network');
    const chain = TAGPACK_CHAINS[code.toUpperCase()] ?? fail(`unknown network / currency "${code}"`, 'network');
    const lastmod = text(fields, 'lastmod', where) ?? fail('has no lastmod (the date the tag was true)', 'lastmod');
    const asOf = toIsoDate(lastmod) ?? fail(`lastmod "${lastmod}" is not a date`, 'lastmod');
    const confidenceId = text(fields, 'confidence', where);
    const confidence =
      confidenceId === undefined
        ? 'low'
        : (CONFIDENCE_MAP[confidenceId.toLowerCase()] ?? fail(`unknown confidence "${confidenceId}"`, 'confidence'));
    const conceptList = fields.concepts;
    const concepts = Array.isArray(conceptList) ? conceptList.filter((c): c is string => typeof c === 'string') : [];
    const category = mapCategory(text(fields, 'category', where), text(fields, 'abuse', where), concepts);
    labels.push({ chain, address, name: label, category, pack: name, source, asOf, confidence });
  }

  const headerLastmod = text(pack, 'lastmod', {});
  const asOf =
    (headerLastmod === undefined ? undefined : toIsoDate(headerLastmod)) ??
    labels
      .map((l) => l.asOf)
      .sort(compareStrings)
      .at(-1) ??
    '';
  if (!asOf) {
    throw new FundflowError('INVALID_ARGUMENT', 'TagPack has no lastmod and no tags to date it by', {
      details: { field: 'lastmod' },
    });
  }
  const info: LabelPackInfo = {
    name,
    title,
    source: text(pack, 'source', {}) ?? `GraphSense TagPack "${title}" by ${creator}`,
    asOf,
    sha256,
    count: labels.length,
  };
  return { info, labels };
}
