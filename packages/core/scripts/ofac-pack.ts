import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { FundflowError } from '../src/errors';
import { serializeCsvPack } from '../src/labels/csv-pack';
import type { LabelPackDraft } from '../src/labels/label-pack';
import type { Label } from '../src/types';
import { compareStrings } from '../src/types';

/**
 * OFAC "Digital Currency Address - <ASSET>" tags → chain names. USDT and USDC are tokens on several chains and OFAC
 * does not say which: `*` (any chain).
 */
export const OFAC_ASSET_CHAINS: Readonly<Record<string, string>> = {
  XBT: 'bitcoin',
  ETH: 'ethereum',
  LTC: 'litecoin',
  BCH: 'bitcoin-cash',
  BSV: 'bitcoin-sv',
  BTG: 'bitcoin-gold',
  DASH: 'dash',
  ETC: 'ethereum-classic',
  ARB: 'arbitrum',
  BSC: 'bsc',
  TRX: 'tron',
  XMR: 'monero',
  XRP: 'ripple',
  XVG: 'verge',
  ZEC: 'zcash',
  USDT: '*',
  USDC: '*',
};

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Version byte of a valid base58check address with a 20-byte hash, else undefined. */
export function base58CheckVersion(address: string): number | undefined {
  let n = 0n;
  for (const ch of address) {
    const digit = BASE58.indexOf(ch);
    if (digit < 0) return undefined;
    n = n * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  for (; n > 0n; n >>= 8n) bytes.unshift(Number(n & 0xffn));
  for (const ch of address) {
    if (ch !== '1') break;
    bytes.unshift(0);
  }
  if (bytes.length !== 25) return undefined;
  const payload = Uint8Array.from(bytes.slice(0, 21));
  const check = sha256(sha256(payload));
  for (let i = 0; i < 4; i++) if (check[i] !== bytes[21 + i]) return undefined;
  return bytes[0];
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** Human-readable part of a valid bech32 / bech32m string (BIP-173 / BIP-350 checksum), else undefined. */
export function bech32Hrp(address: string): string | undefined {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) return undefined;
  const s = address.toLowerCase();
  const sep = s.lastIndexOf('1');
  if (sep < 1 || s.length - sep - 1 < 6) return undefined;
  const hrp = s.slice(0, sep);
  const values: number[] = [];
  for (const ch of hrp) values.push(ch.charCodeAt(0) >> 5);
  values.push(0);
  for (const ch of hrp) values.push(ch.charCodeAt(0) & 31);
  for (const ch of s.slice(sep + 1)) {
    const v = BECH32.indexOf(ch);
    if (v < 0) return undefined;
    values.push(v);
  }
  const generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= generator[i] as number;
  }
  return chk === 1 || chk === 0x2bc830a3 ? hrp : undefined;
}

const isEvm = (a: string): boolean => /^0x[0-9a-fA-F]{40}$/.test(a);

/**
 * Chains whose address format we can verify. Entries of other chains (monero, zcash, cashaddr, …) are taken as listed.
 * Bitcoin: base58check version 0x00/0x05 or bech32 `bc`; Litecoin: 0x30/0x32/0x05 or `ltc`; TRON: 0x41.
 */
const FORMAT_CHECKS: Readonly<Record<string, (address: string) => boolean>> = {
  bitcoin: (a) => [0x00, 0x05].includes(base58CheckVersion(a) ?? -1) || bech32Hrp(a) === 'bc',
  litecoin: (a) => [0x30, 0x32, 0x05].includes(base58CheckVersion(a) ?? -1) || bech32Hrp(a) === 'ltc',
  tron: (a) => base58CheckVersion(a) === 0x41,
  ethereum: isEvm,
  'ethereum-classic': isEvm,
  arbitrum: isEvm,
  bsc: isEvm,
};

/** Formats that name exactly one chain, tried when an entry does not fit its asset tag's chain. */
const UNAMBIGUOUS_FORMATS: readonly { chain: string; format: string; test: (address: string) => boolean }[] = [
  { chain: 'tron', format: 'TRON', test: (a) => base58CheckVersion(a) === 0x41 },
];

export interface OfacPackBuild {
  /** `ofac-sdn-<snapshot date>.csv` */
  fileName: string;
  pack: LabelPackDraft;
  /** The pack as `serializeCsvPack` writes it. */
  text: string;
  /** Entries filed under another chain than their asset tag says, because of their address format. */
  moved: { asset: string; address: string; chain: string }[];
}

/**
 * Builds the OFAC SDN label pack from a folder of `ofac-sdn-<ASSET>.txt` lists (one address per line) and
 * `ofac-sdn.source.txt` (its `Commit:` and `Snapshot date:` lines). Addresses are kept verbatim; an entry whose format
 * contradicts its asset tag but identifies another chain (the TRON address OFAC tagged XBT) is filed under that chain
 * with a note in its name and source; an entry that fits neither throws `INVALID_ARGUMENT`.
 * @example writeFileSync(`labels/${build.fileName}`, (build = buildOfacPack('../shared/realdata/ofac-sdn')).text)
 */
export function buildOfacPack(dir: string): OfacPackBuild {
  const sourceTxt = readFileSync(join(dir, 'ofac-sdn.source.txt'), 'utf8');
  const commit = /^Commit:\s*([0-9a-f]{40})\b/m.exec(sourceTxt)?.[1];
  const asOf = /^Snapshot date:\s*(\d{4}-\d{2}-\d{2})\b/m.exec(sourceTxt)?.[1];
  if (!commit || !asOf) {
    throw new FundflowError(
      'INVALID_ARGUMENT',
      `${dir}/ofac-sdn.source.txt needs "Commit: <sha>" and "Snapshot date:" lines`,
      {
        details: { dir },
      },
    );
  }
  const via = `via github.com/0xB10C/ofac-sanctioned-digital-currency-addresses (lists branch, commit ${commit})`;
  const assetSource = (asset: string): string =>
    `US Treasury OFAC SDN list, 'Digital Currency Address - ${asset}' entries, ${via}`;
  const info = {
    name: 'ofac-sdn',
    title: `OFAC SDN list digital currency addresses (snapshot ${asOf})`,
    source: `US Treasury OFAC SDN list, 'Digital Currency Address' entries of every asset, ${via}`,
    asOf,
    license: 'US government public information',
  };

  const labels: Label[] = [];
  const moved: OfacPackBuild['moved'] = [];
  const files = readdirSync(dir)
    .filter((f) => /^ofac-sdn-[A-Z0-9]+\.txt$/.test(f))
    .sort(compareStrings);
  if (files.length === 0)
    throw new FundflowError('NOT_FOUND', `no ofac-sdn-<ASSET>.txt lists in ${dir}`, { details: { dir } });
  for (const file of files) {
    const asset = file.slice('ofac-sdn-'.length, -'.txt'.length);
    const tagChain = OFAC_ASSET_CHAINS[asset];
    if (tagChain === undefined) {
      throw new FundflowError('INVALID_ARGUMENT', `OFAC asset tag ${asset} has no chain: add it to OFAC_ASSET_CHAINS`, {
        details: { file },
      });
    }
    const addresses = new Set(
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== ''),
    );
    for (const address of addresses) {
      const fits = FORMAT_CHECKS[tagChain];
      let chain = tagChain;
      let name = `OFAC SDN (${asset})`;
      let source = assetSource(asset);
      if (fits && !fits(address)) {
        const other = UNAMBIGUOUS_FORMATS.find((f) => f.test(address));
        if (!other) {
          throw new FundflowError(
            'INVALID_ARGUMENT',
            `${file}: ${address} is not a ${tagChain} address nor of a known other format`,
            {
              details: { file, address },
            },
          );
        }
        chain = other.chain;
        name = `OFAC SDN (${asset}; ${other.format}-format address)`;
        source += `; OFAC tagged this ${other.format}-format address ${asset}: filed under ${other.chain}`;
        moved.push({ asset, address, chain });
      }
      labels.push({ chain, address, name, category: 'sanctioned', pack: info.name, source, asOf, confidence: 'high' });
    }
  }
  const pack: LabelPackDraft = { info, labels };
  return { fileName: `ofac-sdn-${asOf}.csv`, pack, text: serializeCsvPack(pack), moved };
}
