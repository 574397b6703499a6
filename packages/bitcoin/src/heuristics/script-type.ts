import { address as bitcoinAddress } from 'bitcoinjs-lib';
import { isScriptId } from '../address';
import { bitcoinNetworks, legacyScriptHash } from '../networks';

const PUBKEY_HASH_VERSIONS = new Set(Object.values(bitcoinNetworks).map((n) => n.pubKeyHash));
const SCRIPT_HASH_VERSIONS = new Set([
  ...Object.values(bitcoinNetworks).map((n) => n.scriptHash),
  ...Object.values(legacyScriptHash).filter((v): v is number => v !== undefined),
]);

/**
 * The output script type of an address, in the names `UtxoOutput.scriptType` uses (Esplora's `scriptpubkey_type`):
 * `p2pkh`, `p2sh`, `v0_p2wpkh`, `v0_p2wsh`, `v1_p2tr`; for a script id (`script:<type>:…`) its type. Works for every
 * Bitcoin and Litecoin network (base58 version bytes and bech32 witness programs are told apart without the network).
 * Returns undefined for anything else. Pure, makes no request.
 * @example addressScriptType('rltc1qs6pudn4v37puzqjnn7c6k4r7ez73mj5xdr4vdw') === 'v0_p2wpkh'
 */
export function addressScriptType(address: string): string | undefined {
  if (isScriptId(address)) return address.split(':')[1];
  // Heuristics ask for the same addresses over and over (every output of every traced transaction): decode once.
  const known = scriptTypes.get(address);
  if (known !== undefined || scriptTypes.has(address)) return known;
  if (scriptTypes.size >= SCRIPT_TYPE_CACHE) scriptTypes.clear();
  const type = BECH32_LIKE.test(address) ? (fromBech32(address) ?? fromBase58(address)) : fromBase58(address);
  scriptTypes.set(address, type);
  return type;
}

const SCRIPT_TYPE_CACHE = 100_000;
const scriptTypes = new Map<string, string | undefined>();
/** A human-readable part and the separator `1` (bc1…, tb1…, bcrt1…, ltc1…, rltc1…): decode as bech32 first. */
const BECH32_LIKE = /^[a-z]{2,5}1[02-9ac-hj-np-z]{6,}$/i;

function fromBase58(address: string): string | undefined {
  try {
    const { version } = bitcoinAddress.fromBase58Check(address);
    if (PUBKEY_HASH_VERSIONS.has(version)) return 'p2pkh';
    if (SCRIPT_HASH_VERSIONS.has(version)) return 'p2sh';
    return undefined;
  } catch {
    return undefined;
  }
}

function fromBech32(address: string): string | undefined {
  try {
    const { version, data } = bitcoinAddress.fromBech32(address);
    if (version === 0 && data.length === 20) return 'v0_p2wpkh';
    if (version === 0 && data.length === 32) return 'v0_p2wsh';
    if (version === 1 && data.length === 32) return 'v1_p2tr';
    return undefined;
  } catch {
    return undefined;
  }
}
