import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeSegwitAddress, encodeSegwitAddress } from './bech32';
import { coinbaseScriptSig, computeTxid, scriptAsm, serializeWithWitness, txSizes, witnessOf } from './bitcoin-tx';
import type { SimInput } from './scenario';

interface WireTx {
  txid: string;
  version: number;
  locktime: number;
  size: number;
  weight: number;
  vin: { txid: string; vout: number; scriptsig: string; sequence: number; witness?: string[] }[];
  vout: { scriptpubkey: string; scriptpubkey_asm: string; scriptpubkey_type: string; value: number }[];
}

const realTxs = JSON.parse(
  readFileSync(new URL('./testdata/mempool-mainnet-txs-extended-4.json', import.meta.url), 'utf8'),
) as WireTx[];

describe('bech32 (BIP173 / BIP350 vectors)', () => {
  const valid: [string, number, string][] = [
    ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 0, '751e76e8199196d454941c45d1b3a323f1433bd6'],
    [
      'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
      0,
      '1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262',
    ],
    ['bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y', 1, ''],
  ];
  it.each(valid)('decodes %s', (address, version, programHex) => {
    const d = decodeSegwitAddress(address);
    expect(d?.version).toBe(version);
    if (programHex) expect(Buffer.from(d?.program ?? []).toString('hex')).toBe(programHex);
  });

  it('round-trips a v0 program', () => {
    const program = Buffer.from('751e76e8199196d454941c45d1b3a323f1433bd6', 'hex');
    expect(encodeSegwitAddress('bc', 0, program)).toBe('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
    expect(encodeSegwitAddress('bcrt', 0, program)).toBe('bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080');
  });

  const invalid: [string, string][] = [
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'bad checksum'],
    ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7Kv8f3t4', 'mixed case'],
    ['bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du', 'v2 with a bech32 (not bech32m) checksum'],
    ['bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx', 'v1 with a bech32 checksum'],
    ['bc1rw5uspcuh', 'program too short'],
    ['bc1qr508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'v0 program of 21 bytes'],
    ['bcrt1', 'too short'],
    ['not an address', 'garbage'],
  ];
  it.each(invalid)('rejects %s (%s)', (address) => {
    expect(decodeSegwitAddress(address)).toBeUndefined();
  });
});

describe('transaction serialization', () => {
  // Real mainnet transactions whose inputs have no scriptSig: the simulator's serializer must hash them to their txid.
  const segwitOnly = realTxs.filter((t) => t.vin.every((i) => i.scriptsig === ''));

  it.each(segwitOnly.map((t) => [t.txid, t] as const))('computes the real txid of %s', (_txid, wire) => {
    const vin: SimInput[] = wire.vin.map((i) => ({
      coinbase: false,
      txid: i.txid,
      vout: i.vout,
      sequence: i.sequence,
      address: '',
      value: 0n,
    }));
    const vout = wire.vout.map((o) => ({ scriptpubkey: o.scriptpubkey, value: BigInt(o.value) }));
    expect(computeTxid({ version: wire.version, locktime: wire.locktime, vin, vout })).toBe(wire.txid);
    // The asm writer knows the opcodes simulated scripts use (p2wpkh, op_return pushes).
    for (const o of wire.vout.filter((x) => ['v0_p2wpkh', 'op_return'].includes(x.scriptpubkey_type))) {
      expect(scriptAsm(o.scriptpubkey)).toBe(o.scriptpubkey_asm);
    }
  });

  it('has real samples to check against', () => {
    expect(segwitOnly.length).toBeGreaterThanOrEqual(3);
  });

  it('sizes a transaction exactly as its serialization', () => {
    const tx = {
      version: 2,
      locktime: 100,
      vin: [
        { coinbase: false as const, txid: 'ab'.repeat(32), vout: 1, sequence: 0xfffffffd, address: '', value: 5n },
        { coinbase: false as const, txid: 'cd'.repeat(32), vout: 0, sequence: 0xfffffffd, address: '', value: 5n },
      ],
      vout: [{ scriptpubkey: `0014${'11'.repeat(20)}`, value: 9n }],
    };
    const txid = computeTxid(tx);
    const full = serializeWithWitness(tx, txid);
    const sizes = txSizes(tx);
    expect(full.length).toBe(sizes.size);
    // 2 inputs × 41 + 1 output × 31 + 10 bytes of framing, witness 2 + 2 × 107.
    expect(sizes.size - 216).toBe(4 + 1 + 82 + 1 + 31 + 4);
    expect(sizes.weight).toBe((sizes.size - 216) * 4 + 216);
    expect(witnessOf(txid, 0, false)[0]).toMatch(/^30440220[0-9a-f]{64}0220[0-9a-f]{64}01$/);
  });

  it('writes BIP34 heights as Bitcoin Core does', () => {
    expect(coinbaseScriptSig(5)).toBe('5500');
    expect(coinbaseScriptSig(150)).toBe('02960000');
    expect(coinbaseScriptSig(1000)).toBe('02e80300');
    expect(scriptAsm(coinbaseScriptSig(150))).toBe('OP_PUSHBYTES_2 9600 OP_0');
  });
});
