/**
 * Block 1's coinbase (0e3e2357…) in Esplora's `GET /tx/:txid` shape, transcribed from Bitcoin Core's getblock in
 * ../shared/realdata/bitcoin-rpc (electrs serialises a coinbase input with an all-zero txid, vout 0xffffffff and
 * `prevout: null`). Kept in the package so the coinbase path is tested on a fresh clone too. Test-only.
 */
export const BLOCK1_COINBASE = {
  txid: '0e3e2357e806b6cdb1f70b54c3a3a17b6714ee1f0e68bebb44a74b1efd512098',
  version: 1,
  locktime: 0,
  vin: [
    {
      txid: '0000000000000000000000000000000000000000000000000000000000000000',
      vout: 4294967295,
      prevout: null,
      scriptsig: '04ffff001d0104',
      scriptsig_asm: 'OP_PUSHBYTES_4 ffff001d OP_PUSHBYTES_1 04',
      is_coinbase: true,
      sequence: 4294967295,
    },
  ],
  vout: [
    {
      scriptpubkey:
        '410496b538e853519c726a2c91e61ec11600ae1390813a627c66fb8be7947be63c52da7589379515d4e0a604f8141781e62294721166bf621e73a82cbf2342c858eeac',
      scriptpubkey_asm:
        'OP_PUSHBYTES_65 0496b538e853519c726a2c91e61ec11600ae1390813a627c66fb8be7947be63c52da7589379515d4e0a604f8141781e62294721166bf621e73a82cbf2342c858ee OP_CHECKSIG',
      scriptpubkey_type: 'p2pk',
      value: 5000000000,
    },
  ],
  size: 134,
  weight: 536,
  fee: 0,
  status: {
    confirmed: true,
    block_height: 1,
    block_hash: '00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048',
    block_time: 1231469665,
  },
};
