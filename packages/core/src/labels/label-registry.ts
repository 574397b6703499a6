import { FundflowError } from '../errors';
import type { Label } from '../types';
import { compareStrings } from '../types';
import { CONFIDENCES, checkLabel, isIsoDate, type LabelPack, type LabelPackInfo } from './label-pack';

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
// Segwit HRPs of the UTXO chains fundflow reads (mainnet, testnet, regtest). Bech32 is case-insensitive by spec.
const BECH32_ADDRESS = /^(?:bc|tb|bcrt|ltc|tltc|rltc)1[02-9ac-hj-np-z]+$/i;

/**
 * The form of an address labels are matched on: EVM hex (0x + 40 hex) and bech32 addresses lowercased,
 * everything else (base58, cashaddr, NEM, …) exactly as given.
 * @example labelAddressKey('0xAbC…') === '0xabc…'; labelAddressKey('BC1QXY…') === 'bc1qxy…'
 */
export function labelAddressKey(address: string): string {
  return EVM_ADDRESS.test(address) || BECH32_ADDRESS.test(address) ? address.toLowerCase() : address;
}

/**
 * Orders labels: higher confidence first, then pack, chain, name, category, source, asOf, address.
 * @example labels.sort(compareLabels)
 */
export function compareLabels(a: Label, b: Label): number {
  return (
    CONFIDENCES.indexOf(a.confidence) - CONFIDENCES.indexOf(b.confidence) ||
    compareStrings(a.pack, b.pack) ||
    compareStrings(a.chain, b.chain) ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.category, b.category) ||
    compareStrings(a.source, b.source) ||
    compareStrings(a.asOf, b.asOf) ||
    compareStrings(a.address, b.address)
  );
}

function checkPack(pack: LabelPack): void {
  const { info, labels } = pack;
  const fail = (why: string, details: Record<string, unknown> = {}): never => {
    throw new FundflowError('INVALID_ARGUMENT', `label pack "${info.name}": ${why}`, {
      details: { pack: info.name, ...details },
    });
  };
  if (info.name.trim() === '' || info.name !== info.name.trim()) fail('name is empty or has surrounding spaces');
  if (info.source.trim() === '') fail('source is empty');
  if (!isIsoDate(info.asOf)) fail(`asOf "${info.asOf}" is not a YYYY-MM-DD date`);
  if (!/^[0-9a-f]{64}$/.test(info.sha256)) fail('sha256 is not 64 lowercase hex digits');
  if (info.count !== labels.length) fail(`count is ${info.count} but the pack has ${labels.length} labels`);
  labels.forEach((label, index) => {
    if (label.pack !== info.name) fail(`label ${index} says pack "${label.pack}"`, { index });
    checkLabel(label, { pack: info.name, index });
  });
}

/**
 * Labels from several packs, looked up by chain and address. Matching: EVM hex and bech32 addresses ignore case,
 * others are exact; a label on chain `*` matches every chain (OFAC lists that do not state a token's chain).
 * @example
 *   const registry = new LabelRegistry();
 *   registry.addPack(parseCsvPack(text));
 *   registry.lookup('ethereum', '0x8589427373d6d84e98730d7795d8f6f8731fda16') // [{ category: 'sanctioned', … }]
 */
export class LabelRegistry {
  readonly #packs = new Map<string, LabelPackInfo>();
  /** Labels by chain, then by address key (no key string built per look-up). */
  readonly #byChain = new Map<string, Map<string, Label[]>>();

  /**
   * Adds a pack. Adding the same pack again (same name and sha256) does nothing; another pack with a name already
   * in use, or a malformed pack, throws `INVALID_ARGUMENT`.
   * @example registry.addPack(await loadPackFile('my-pack.csv'))
   */
  addPack(pack: LabelPack): void {
    checkPack(pack);
    const known = this.#packs.get(pack.info.name);
    if (known) {
      if (known.sha256 === pack.info.sha256) return;
      throw new FundflowError(
        'INVALID_ARGUMENT',
        `a different label pack named "${pack.info.name}" is already loaded: rename one of them`,
        { details: { pack: pack.info.name, loaded: known.sha256, added: pack.info.sha256 } },
      );
    }
    this.#packs.set(pack.info.name, { ...pack.info });
    const seen = new Set<string>();
    for (const label of pack.labels) {
      // A pack that lists the same fact twice should not show it twice.
      const identity = JSON.stringify([
        label.chain,
        label.address,
        label.name,
        label.category,
        label.source,
        label.asOf,
        label.confidence,
      ]);
      if (seen.has(identity)) continue;
      seen.add(identity);
      const key = labelAddressKey(label.address);
      let byAddress = this.#byChain.get(label.chain);
      if (byAddress === undefined) {
        byAddress = new Map();
        this.#byChain.set(label.chain, byAddress);
      }
      const list = byAddress.get(key);
      const copy = Object.freeze({ ...label });
      if (list) list.push(copy);
      else byAddress.set(key, [copy]);
    }
  }

  /**
   * Labels on `address` for `chain`, including labels on chain `*`, in `compareLabels` order. Each call returns
   * fresh objects.
   * @example registry.lookup('bitcoin', 'BC1Q…') // same as registry.lookup('bitcoin', 'bc1q…')
   */
  lookup(chain: string, address: string): Label[] {
    const key = labelAddressKey(address);
    const own = this.#byChain.get(chain)?.get(key);
    const any = chain === '*' ? undefined : this.#byChain.get('*')?.get(key);
    if (own === undefined && any === undefined) return [];
    return [...(own ?? []), ...(any ?? [])].sort(compareLabels).map((label) => ({ ...label }));
  }

  /**
   * The loaded packs, sorted by name (copies).
   * @example registry.packs().map((p) => `${p.name} ${p.asOf} ${p.sha256}`)
   */
  packs(): LabelPackInfo[] {
    return [...this.#packs.values()].sort((a, b) => compareStrings(a.name, b.name)).map((info) => ({ ...info }));
  }
}
