import * as ecc from '@bitcoinerlab/secp256k1';
import { FundflowError } from '@fundflow/core';
import { address as bitcoinAddress, crypto, initEccLib } from 'bitcoinjs-lib';
import { bytesToHex, hexToBytes } from './hex';
import { BITCOIN_NETWORK_NAMES, type BitcoinNetworkName, bitcoinNetworks, legacyScriptHash } from './networks';

let eccReady = false;

// bitcoinjs-lib rejects every taproot address until an ecc library is registered; registering runs a self-test,
// so do it once, lazily, on first use.
function ensureEcc(): void {
  if (eccReady) return;
  initEccLib(ecc);
  eccReady = true;
}

/**
 * Validates `address` for `network` and returns its canonical form: bech32/bech32m lower-cased, base58 as is
 * (Litecoin's legacy `3…`/`2…` P2SH form is rewritten to `M…`/`Q…`). Uses bitcoinjs-lib `address.toOutputScript`,
 * with secp256k1 registered so taproot keys are checked; witness v1+ programs that are not taproot (BIP 350, e.g.
 * `bc1pfeessrawgf`) are accepted as Bitcoin Core does. Makes no request.
 * Throws FundflowError `INVALID_ADDRESS` (details `{ address, network }`) for garbage, a bad checksum, mixed-case
 * bech32, or an address of another network (`bc1…` on litecoin, `tb1…` on bitcoin, `L…` on bitcoin).
 * @example normalizeBitcoinAddress('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'bitcoin')
 *   // 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'
 */
export function normalizeBitcoinAddress(address: string, network: BitcoinNetworkName): string {
  ensureEcc();
  const params = bitcoinNetworks[network];
  const invalid = (reason: string): FundflowError =>
    new FundflowError(
      'INVALID_ADDRESS',
      `'${address}' is not a valid ${network} address: ${reason}. Check the address and the network setting.`,
      { details: { address, network } },
    );
  const candidate = address.trim();
  if (candidate === '') throw invalid('it is empty');
  if (candidate.length > 110) throw invalid('it is too long');

  let base58: bitcoinAddress.Base58CheckResult | undefined;
  try {
    base58 = bitcoinAddress.fromBase58Check(candidate);
  } catch {
    base58 = undefined;
  }
  if (base58 !== undefined) {
    if (base58.hash.length !== 20) throw invalid('its base58 payload is not a 20-byte hash');
    if (base58.version === params.pubKeyHash || base58.version === params.scriptHash) {
      toOutputScriptOrThrow(candidate, network, invalid);
      return candidate;
    }
    if (base58.version === legacyScriptHash[network]) {
      return bitcoinAddress.toBase58Check(base58.hash, params.scriptHash);
    }
    throw invalid(`base58 version 0x${base58.version.toString(16).padStart(2, '0')}${origin(base58.version)}`);
  }

  let bech32: bitcoinAddress.Bech32Result;
  try {
    bech32 = bitcoinAddress.fromBech32(candidate);
  } catch {
    // Mixed case, a bad checksum and non-address text all land here: bech32 rejects mixed case by design.
    throw invalid('it is neither base58check nor bech32/bech32m with a valid checksum');
  }
  const canonical = candidate.toLowerCase();
  if (bech32.prefix !== params.bech32) {
    throw invalid(`prefix '${bech32.prefix}'${origin(bech32.prefix)}, expected '${params.bech32}'`);
  }
  if (bech32.version >= 2 || (bech32.version === 1 && bech32.data.length !== 32)) {
    // Future witness programs: bitcoinjs-lib would accept them but logs a warning; BIP 350 fixes their sizes.
    if (bech32.data.length < 2 || bech32.data.length > 40) throw invalid('witness program must be 2 to 40 bytes');
    return canonical;
  }
  toOutputScriptOrThrow(canonical, network, invalid);
  return canonical;
}

function toOutputScriptOrThrow(
  candidate: string,
  network: BitcoinNetworkName,
  invalid: (reason: string) => FundflowError,
): void {
  try {
    bitcoinAddress.toOutputScript(candidate, bitcoinNetworks[network]);
  } catch (e) {
    throw invalid(e instanceof Error ? e.message : String(e));
  }
}

// Names the networks a base58 version byte or bech32 prefix belongs to, so the message says what the address is.
function origin(tag: number | string): string {
  const owners = BITCOIN_NETWORK_NAMES.filter((name) => {
    const p = bitcoinNetworks[name];
    return typeof tag === 'string' ? p.bech32 === tag : p.pubKeyHash === tag || p.scriptHash === tag;
  });
  return owners.length === 0 ? ' (no known network)' : ` (used by ${owners.join(', ')})`;
}

/**
 * Stable id for an output whose script has no address (p2pk, multisig, op_return, nonstandard, empty):
 * `script:<type>:<hex of the first 16 bytes of sha256(script bytes)>`. `type` is the source's script type
 * (Esplora `scriptpubkey_type`), lower-cased with characters other than `[a-z0-9_]` replaced by `_`. The same script
 * always gets the same id, so value sent to one bare public key or one burn script groups into one graph node.
 * Throws FundflowError `INVALID_ARGUMENT` when `scriptPubKeyHex` is not hex.
 * @example scriptId('', 'empty') === 'script:empty:e3b0c44298fc1c149afbf4c8996fb924'
 */
export function scriptId(scriptPubKeyHex: string, type: string): string {
  const bytes = hexToBytes(scriptPubKeyHex);
  if (bytes === undefined) {
    throw new FundflowError('INVALID_ARGUMENT', `script '${scriptPubKeyHex.slice(0, 80)}' is not hex`, {
      details: { script: scriptPubKeyHex.slice(0, 200), type },
    });
  }
  const kind = type.toLowerCase().replace(/[^a-z0-9_]/g, '_') || 'unknown';
  return `script:${kind}:${bytesToHex(crypto.sha256(bytes).subarray(0, 16))}`;
}

/**
 * True for ids made by `scriptId` (outputs without an address).
 * @example isScriptId('script:p2pk:0123…') === true
 */
export function isScriptId(id: string): boolean {
  return id.startsWith('script:');
}
