/**
 * An exchange drain played on a real anvil node (npm @foundry-rs/anvil-linux-amd64) with the contracts in
 * packages/evm/contracts (compiled by compile-contracts.ts), and its ground truth:
 *   pnpm tsx packages/evm/scripts/anvil-scenario.ts     # starts anvil, plays, prints the ground truth JSON
 *
 * The story: an exchange ("Anvil Exchange") hot wallet holds ETH, SDOL (an ERC-20 with 6 decimals) and ODD (an ERC-20
 * without `decimals()`); before the theft it pays a customer. The attacker drains it in six transactions (a 1 ETH
 * test, 200 + 200 + 99 ETH, 1,000,000 SDOL, 25,000 ODD), deploys a disperser contract and splits across twelve fresh
 * addresses S1…S12 (ETH and tokens; three of them through the disperser's internal transfers). S1–S3 swap their SDOL
 * for ETH at a constant-product pool (the ETH comes back as an internal transfer; S3's first swap reverts on its
 * minimum output and only burns gas); S1, S3–S6 deposit 10-ETH lots into a mixer, from which a relayer later withdraws
 * six lots to fresh addresses; S7 bridges ETH and SDOL; S2, S3, S8–S10 and S12 pay a second exchange's deposit address
 * (which sweeps ETH, SDOL and ODD to that exchange's hot wallet) and S11 pays its deposit contract (a forwarder: the ETH
 * reaches the hot wallet in the same transaction). S8 receives clean ETH from an unrelated account after its stolen
 * ETH, so FIFO, haircut and poison give different answers downstream.
 *
 * Determinism: keys come from fixed strings, every transaction is a legacy (type 0) transaction with a fixed gas price
 * signed here, blocks are mined explicitly with fixed timestamps; the same node version gives the same hashes.
 *
 * The ground truth is the script's own bookkeeping of what it sent (FifoLedger: FIFO over each address's balance
 * history, fees after the transaction's transfers, stolen value that reaches a labelled service stops there, swaps
 * carry the stolen share over to the output asset), with gas from the receipts; it is checked against every touched
 * address's balance on chain before it is returned.
 */
import { pathToFileURL } from 'node:url';
import { canonicalJson, type Label, serializeCsvPack } from '@fundflow/core';
import { getAddress, getCreateAddress, Interface, id, keccak256, Wallet } from 'ethers';
import { FifoLedger } from '../src/scenario/fifo-ledger';
import type {
  AssetAmounts,
  EvmGroundTruth,
  EvmScenarioMixerWithdrawal,
  EvmScenarioSwap,
  EvmScenarioTx,
} from '../src/scenario/ground-truth';
import { type Anvil, type AnvilOptions, startAnvil } from './anvil';
import { loadArtifact } from './compile-contracts';

export const SCRIPT_PATH = 'packages/evm/scripts/anvil-scenario.ts';
export const CASE_NAME = 'anvil-exchange-drain';
/** Genesis time the scenario expects (2025-06-15T15:06:40Z); its first block comes 12 s later. */
export const EVM_SCENARIO_GENESIS_TIME = 1_750_000_000;
/** Options for `startAnvil` that the scenario needs (a fixed genesis time). */
export const EVM_SCENARIO_ANVIL_OPTIONS: AnvilOptions = { timestamp: EVM_SCENARIO_GENESIS_TIME };

const ETH = 10n ** 18n;
const SDOL = 10n ** 6n;
/** OddToken has no decimals(); it counts in 1e18 units internally, which a reader of the chain cannot know. */
const ODD = 10n ** 18n;
/** 2 gwei, legacy: the fee of every transaction is gasUsed × 2 gwei exactly (anvil's base fee stays below it). */
export const GAS_PRICE = 2_000_000_000n;
const MIXER_LOT = 10n * ETH;
const GAS_TRANSFER = 21_000n;
const GAS_CALL = 300_000n;
const GAS_DEPLOY = 3_000_000n;

interface Receipt {
  transactionHash: string;
  status: string;
  gasUsed: string;
  effectiveGasPrice: string;
  blockNumber: string;
  transactionIndex: string;
  contractAddress: string | null;
  logs: Array<{ address: string; topics: string[]; data: string }>;
}

interface Pending {
  step: string;
  hash: string;
  from: string;
  to: string | null;
  value: bigint;
  expectStatus: 0 | 1;
  created?: string;
  effects?: (r: Receipt) => void;
}

/** A deterministic key for a role. */
function walletOf(role: string): Wallet {
  return new Wallet(id(`fundflow/evm-scenario/${role}`));
}

function amounts(m: Map<string, bigint>): AssetAmounts {
  return Object.fromEntries([...m].filter(([, v]) => v !== 0n).map(([k, v]) => [k, v.toString()]));
}

/** Plays the scenario on a fresh anvil (block 0 only, genesis before EVM_SCENARIO_GENESIS_TIME + 12) and returns its ground truth. */
export async function runEvmScenario(anvil: Anvil): Promise<EvmGroundTruth> {
  const rpc = anvil.rpc;
  if (BigInt(await rpc<string>('eth_blockNumber')) !== 0n) throw new Error('runEvmScenario needs a fresh anvil');
  const genesis = await rpc<{ timestamp: string }>('eth_getBlockByNumber', ['0x0', false]);
  let time = EVM_SCENARIO_GENESIS_TIME;
  if (Number(genesis.timestamp) > time) {
    throw new Error(`start anvil with timestamp ${EVM_SCENARIO_GENESIS_TIME} (EVM_SCENARIO_ANVIL_OPTIONS)`);
  }
  await rpc('evm_setAutomine', [false]);

  const token = loadArtifact('Token');
  const oddToken = loadArtifact('OddToken');
  const poolArt = loadArtifact('SwapPool');
  const mixerArt = loadArtifact('Mixer');
  const bridgeArt = loadArtifact('Bridge');
  const forwarderArt = loadArtifact('Forwarder');
  const disperserArt = loadArtifact('Disperser');
  const erc20 = new Interface(token.abi as never);
  const poolIface = new Interface(poolArt.abi as never);
  const mixerIface = new Interface(mixerArt.abi as never);
  const bridgeIface = new Interface(bridgeArt.abi as never);
  const disperserIface = new Interface(disperserArt.abi as never);

  // Actors. Funded ones get their ETH by anvil_setBalance (not a transaction: clean money from outside).
  const deployer = walletOf('deployer');
  const victim = walletOf('victim-hot-wallet');
  const exchangeHot = walletOf('exchange-hot-wallet');
  const depositEoa = walletOf('exchange-deposit');
  const cleanSender = walletOf('clean-sender');
  const relayer = walletOf('relayer');
  const customer = walletOf('customer');
  const trader = walletOf('trader');
  const attacker = walletOf('attacker');
  const S = Array.from({ length: 12 }, (_, i) => walletOf(`split-${i + 1}`));
  const split = (n: number) => S[n - 1]!;
  const fresh = Array.from({ length: 6 }, (_, i) => walletOf(`mixer-recipient-${i + 1}`));
  const funding: Array<[Wallet, bigint]> = [
    [deployer, 10_000n * ETH],
    [victim, 1_000n * ETH],
    [exchangeHot, 100n * ETH],
    [cleanSender, 100n * ETH],
    [relayer, 5n * ETH],
    [trader, 100n * ETH],
  ];

  const nonces = new Map<string, number>();
  const createdAt = (w: Wallet, offset = 0) =>
    getCreateAddress({ from: w.address, nonce: (nonces.get(w.address) ?? 0) + offset });
  const tokenAddr = createdAt(deployer, 0);
  const oddAddr = createdAt(deployer, 1);
  const poolAddr = createdAt(deployer, 2);
  const mixerAddr = createdAt(deployer, 3);
  const bridgeAddr = createdAt(deployer, 4);
  const forwarderAddr = createdAt(exchangeHot, 0);
  const disperserAddr = createdAt(attacker, 0);
  const assetOf: Record<string, string> = { [tokenAddr]: 'SDOL', [oddAddr]: 'ODD' };

  const ledger = new FifoLedger({
    stops: { [mixerAddr]: 'mixer', [bridgeAddr]: 'bridge', [poolAddr]: 'service', [exchangeHot.address]: 'exchange' },
    watch: [depositEoa.address, forwarderAddr],
  });
  for (const [w, v] of funding) {
    await rpc('anvil_setBalance', [w.address, `0x${v.toString(16)}`]);
    ledger.credit(w.address, 'ETH', v);
  }

  let pending: Pending[] = [];
  const txs: EvmScenarioTx[] = [];
  const send = async (
    step: string,
    w: Wallet,
    p: {
      to: string | null;
      value?: bigint;
      data?: string;
      gas?: bigint;
      expectStatus?: 0 | 1;
      effects?: (r: Receipt) => void;
    },
  ): Promise<string> => {
    const nonce = nonces.get(w.address) ?? 0;
    nonces.set(w.address, nonce + 1);
    const value = p.value ?? 0n;
    const data = p.data ?? '0x';
    const gas = p.gas ?? (data === '0x' ? GAS_TRANSFER : GAS_CALL);
    const raw = await w.signTransaction({
      type: 0,
      chainId: anvil.chainId,
      nonce,
      gasPrice: GAS_PRICE,
      gasLimit: gas,
      to: p.to,
      value,
      data,
    });
    const hash = await rpc<string>('eth_sendRawTransaction', [raw]);
    const entry: Pending = { step, hash, from: w.address, to: p.to, value, expectStatus: p.expectStatus ?? 1 };
    if (p.to === null) entry.created = getCreateAddress({ from: w.address, nonce });
    if (p.effects) entry.effects = p.effects;
    pending.push(entry);
    return hash;
  };
  const deploy = (
    step: string,
    w: Wallet,
    art: { bytecode: string; abi: unknown[] },
    args: unknown[],
    effects?: (r: Receipt) => void,
  ) =>
    send(step, w, {
      to: null,
      data: art.bytecode + new Interface(art.abi as never).encodeDeploy(args).slice(2),
      gas: GAS_DEPLOY,
      ...(effects ? { effects } : {}),
    });
  const mine = async (advance: number): Promise<void> => {
    time += advance;
    await rpc('evm_setNextBlockTimestamp', [time]);
    await rpc('evm_mine', []);
    const block = BigInt(await rpc<string>('eth_blockNumber'));
    let index = -1;
    for (const p of pending) {
      const r = await rpc<Receipt | null>('eth_getTransactionReceipt', [p.hash]);
      if (r === null) throw new Error(`${p.step} ${p.hash} was not mined`);
      if (BigInt(r.blockNumber) !== block) throw new Error(`${p.step} landed in block ${BigInt(r.blockNumber)}`);
      // The ledger applies transactions in the order they were sent: the block must have them in that order.
      const i = Number(BigInt(r.transactionIndex));
      if (i <= index) throw new Error(`${p.step} was reordered in block ${block}`);
      index = i;
      if (BigInt(r.effectiveGasPrice) !== GAS_PRICE) throw new Error(`${p.step}: gas price ${r.effectiveGasPrice}`);
      const status = BigInt(r.status) === 1n ? 1 : 0;
      if (status !== p.expectStatus)
        throw new Error(`${p.step} ${p.hash}: status ${status}, expected ${p.expectStatus}`);
      if (p.created !== undefined && (r.contractAddress === null || getAddress(r.contractAddress) !== p.created)) {
        throw new Error(`${p.step}: created ${r.contractAddress}, expected ${p.created}`);
      }
      if (status === 1) p.effects?.(r);
      const fee = BigInt(r.gasUsed) * GAS_PRICE;
      ledger.fee(p.from, 'ETH', fee);
      const tx: EvmScenarioTx = {
        step: p.step,
        hash: p.hash,
        block: Number(block),
        index: i,
        time,
        from: p.from,
        to: p.to,
        value: p.value.toString(),
        status,
        gasUsed: BigInt(r.gasUsed).toString(),
        fee: fee.toString(),
      };
      if (p.created !== undefined) tx.contractAddress = p.created;
      txs.push(tx);
    }
    pending = [];
  };

  // Value movements, as the ledger sees them.
  const eth = (step: string, from: Wallet, to: string, value: bigint, gas?: bigint) =>
    send(step, from, {
      to,
      value,
      ...(gas !== undefined ? { gas } : {}),
      effects: () => ledger.transfer(from.address, to, 'ETH', value),
    });
  const tokenTransfer = (step: string, from: Wallet, tokenAddress: string, to: string, value: bigint) =>
    send(step, from, {
      to: tokenAddress,
      data: erc20.encodeFunctionData('transfer', [to, value]),
      effects: () => ledger.transfer(from.address, to, assetOf[tokenAddress]!, value),
    });
  const approve = (step: string, from: Wallet, tokenAddress: string, spender: string) =>
    send(step, from, { to: tokenAddress, data: erc20.encodeFunctionData('approve', [spender, 2n ** 256n - 1n]) });

  // The pool's reserves, modelled here (the same formula as SwapPool.getAmountOut).
  const reserves = { eth: 0n, token: 0n };
  const amountOut = (amountIn: bigint, rIn: bigint, rOut: bigint) =>
    (amountIn * 997n * rOut) / (rIn * 1000n + amountIn * 997n);
  const swapLog = (r: Receipt) => {
    const log = r.logs.find(
      (l) => getAddress(l.address) === poolAddr && l.topics[0] === poolIface.getEvent('Swap')!.topicHash,
    );
    if (!log) throw new Error('no Swap event');
    const parsed = poolIface.parseLog(log)!;
    return { ethOut: parsed.args.getValue('ethOut') as bigint, tokenOut: parsed.args.getValue('tokenOut') as bigint };
  };
  const swaps: EvmScenarioSwap[] = [];
  const swapTokenForEth = (step: string, w: Wallet, tokenIn: bigint, minOut?: bigint) => {
    const expected = amountOut(tokenIn, reserves.token, reserves.eth);
    const reverts = minOut !== undefined && minOut > expected;
    return send(step, w, {
      to: poolAddr,
      data: poolIface.encodeFunctionData('swapTokenForEth', [tokenIn, minOut ?? expected]),
      expectStatus: reverts ? 0 : 1,
      effects: (r) => {
        const { ethOut } = swapLog(r);
        if (ethOut !== expected) throw new Error(`${step}: pool paid ${ethOut}, model says ${expected}`);
        reserves.token += tokenIn;
        reserves.eth -= ethOut;
        const { stolenIn, stolenOut } = ledger.swap(w.address, poolAddr, 'SDOL', tokenIn, 'ETH', ethOut);
        swaps.push({
          tx: r.transactionHash,
          trader: w.address,
          tokenIn: tokenIn.toString(),
          ethOut: ethOut.toString(),
          stolenTokenIn: stolenIn.toString(),
          stolenEthOut: stolenOut.toString(),
        });
      },
    });
  };

  const deposits = new Map<string, { depositTx: string; depositor: string }>();
  const mixerDeposit = async (step: string, w: Wallet, n: number) => {
    const secret = id(`fundflow/evm-scenario/mixer/${w.address}/${n}`);
    const commitment = keccak256(secret);
    const hash = await send(step, w, {
      to: mixerAddr,
      value: MIXER_LOT,
      data: mixerIface.encodeFunctionData('deposit', [commitment]),
      effects: () => ledger.transfer(w.address, mixerAddr, 'ETH', MIXER_LOT),
    });
    deposits.set(commitment, { depositTx: hash, depositor: w.address });
    return secret;
  };

  // ── 0. Setup: tokens, pool, mixer, bridge; the victim's balances; the receiving exchange's deposit contract. ──
  // The constructors mint the whole supply to the deployer: clean money from outside.
  await deploy('deploy:Token', deployer, token, ['Scenario Dollar', 'SDOL', 10_000_000n * SDOL], () =>
    ledger.credit(deployer.address, 'SDOL', 10_000_000n * SDOL),
  );
  await deploy('deploy:OddToken', deployer, oddToken, ['Odd Token', 'ODD', 1_000_000n * ODD], () =>
    ledger.credit(deployer.address, 'ODD', 1_000_000n * ODD),
  );
  await deploy('deploy:SwapPool', deployer, poolArt, [tokenAddr]);
  await deploy('deploy:Mixer', deployer, mixerArt, [MIXER_LOT]);
  await deploy('deploy:Bridge', deployer, bridgeArt, []);
  await mine(12);
  await approve('approve:pool:deployer', deployer, tokenAddr, poolAddr);
  await send('pool:addLiquidity', deployer, {
    to: poolAddr,
    value: 1_000n * ETH,
    data: poolIface.encodeFunctionData('addLiquidity', [2_000_000n * SDOL]),
    effects: () => {
      ledger.transfer(deployer.address, poolAddr, 'SDOL', 2_000_000n * SDOL);
      ledger.transfer(deployer.address, poolAddr, 'ETH', 1_000n * ETH);
      reserves.eth += 1_000n * ETH;
      reserves.token += 2_000_000n * SDOL;
    },
  });
  await tokenTransfer('fund:victim:SDOL', deployer, tokenAddr, victim.address, 3_000_000n * SDOL);
  await tokenTransfer('fund:victim:ODD', deployer, oddAddr, victim.address, 50_000n * ODD);
  await mine(12);
  await deploy('deploy:Forwarder', exchangeHot, forwarderArt, [exchangeHot.address]);
  await mine(12);
  {
    const ethIn = 2n * ETH;
    const expected = amountOut(ethIn, reserves.eth, reserves.token);
    await send('noise:swapEthForToken:trader', trader, {
      to: poolAddr,
      value: ethIn,
      data: poolIface.encodeFunctionData('swapEthForToken', [expected]),
      effects: (r) => {
        const { tokenOut } = swapLog(r);
        if (tokenOut !== expected) throw new Error(`pool paid ${tokenOut} SDOL, model says ${expected}`);
        ledger.swap(trader.address, poolAddr, 'ETH', ethIn, 'SDOL', tokenOut);
        reserves.eth += ethIn;
        reserves.token -= tokenOut;
      },
    });
  }
  await mine(12);
  await mixerDeposit('noise:mixer:trader:1', trader, 1);
  await mixerDeposit('noise:mixer:trader:2', trader, 2);
  await mine(60);
  await eth('withdrawal:customer', victim, customer.address, 5n * ETH);
  await tokenTransfer('withdrawal:customer:SDOL', victim, tokenAddr, customer.address, 10_000n * SDOL);
  await mine(600);
  await eth('noise:clean-sender:customer', cleanSender, customer.address, 1n * ETH);
  await mine(300);

  // ── 1. The drain (the theft window). ──
  const drains: string[] = [];
  const drainEth = async (step: string, value: bigint) => {
    drains.push(
      await send(step, victim, {
        to: attacker.address,
        value,
        effects: () => ledger.theft(victim.address, attacker.address, 'ETH', value),
      }),
    );
  };
  const drainToken = async (step: string, tokenAddress: string, value: bigint) => {
    drains.push(
      await send(step, victim, {
        to: tokenAddress,
        data: erc20.encodeFunctionData('transfer', [attacker.address, value]),
        effects: () => ledger.theft(victim.address, attacker.address, assetOf[tokenAddress]!, value),
      }),
    );
  };
  await drainEth('drain:eth:test', 1n * ETH);
  await mine(2_400);
  const since = time;
  await drainEth('drain:eth:1', 200n * ETH);
  await mine(180);
  await drainEth('drain:eth:2', 200n * ETH);
  await mine(60);
  await drainEth('drain:eth:3', 99n * ETH);
  await mine(60);
  await drainToken('drain:SDOL', tokenAddr, 1_000_000n * SDOL);
  await mine(120);
  await drainToken('drain:ODD', oddAddr, 25_000n * ODD);
  await mine(60);
  const until = time;

  // ── 2. The split: a disperser contract and twelve fresh addresses. ──
  const contractCreation = await deploy('attacker:deploy:Disperser', attacker, disperserArt, []);
  for (const n of [1, 2, 3]) await eth(`split:eth:S${n}`, attacker, split(n).address, ETH / 2n);
  await mine(2_400);
  for (const n of [1, 2, 3])
    await tokenTransfer(`split:SDOL:S${n}`, attacker, tokenAddr, split(n).address, 100_000n * SDOL);
  const perMixerUser = 30n * ETH + ETH / 10n;
  const disperse = await send('split:disperse:S4-S6', attacker, {
    to: disperserAddr,
    value: 3n * perMixerUser,
    data: disperserIface.encodeFunctionData('disperseEther', [
      [4, 5, 6].map((n) => split(n).address),
      [perMixerUser, perMixerUser, perMixerUser],
    ]),
    effects: () => {
      ledger.transfer(attacker.address, disperserAddr, 'ETH', 3n * perMixerUser);
      for (const n of [4, 5, 6]) ledger.transfer(disperserAddr, split(n).address, 'ETH', perMixerUser);
    },
  });
  await mine(12);
  await eth('split:eth:S7', attacker, split(7).address, 80n * ETH);
  await tokenTransfer('split:SDOL:S7', attacker, tokenAddr, split(7).address, 200_000n * SDOL);
  await eth('split:eth:S8', attacker, split(8).address, 60n * ETH);
  await mine(12);
  await eth('split:eth:S9', attacker, split(9).address, 90n * ETH);
  await tokenTransfer('split:SDOL:S9', attacker, tokenAddr, split(9).address, 150_000n * SDOL);
  await eth('split:eth:S10', attacker, split(10).address, 70n * ETH);
  await tokenTransfer('split:SDOL:S10', attacker, tokenAddr, split(10).address, 350_000n * SDOL);
  await mine(12);
  await eth('split:eth:S11', attacker, split(11).address, 100n * ETH);
  await eth('split:eth:S12', attacker, split(12).address, ETH / 5n);
  await tokenTransfer('split:ODD:S12', attacker, oddAddr, split(12).address, 25_000n * ODD);
  await mine(12);
  // Clean money arrives at S8 after its stolen ETH.
  const cleanFunds = await eth('clean:clean-sender:S8', cleanSender, split(8).address, 20n * ETH);
  await mine(300);

  // ── 3. Swaps: S1–S3 sell their SDOL for ETH; S3's first try reverts on its minimum output. ──
  for (const n of [1, 2, 3]) await approve(`approve:pool:S${n}`, split(n), tokenAddr, poolAddr);
  await mine(3_600);
  await swapTokenForEth('swap:S1', split(1), 100_000n * SDOL);
  await mine(12);
  await swapTokenForEth('swap:S2', split(2), 100_000n * SDOL);
  await mine(12);
  const reverted = await swapTokenForEth('revert:swap:S3', split(3), 100_000n * SDOL, 60n * ETH);
  await mine(12);
  await swapTokenForEth('swap:S3', split(3), 100_000n * SDOL);
  await mine(12);

  // ── 4. Mixer deposits: 4 lots from S1, 1 from S3, 3 each from S4–S6. ──
  const secrets = new Map<number, string[]>();
  const depositLots = async (n: number, lots: number) => {
    const list: string[] = [];
    for (let i = 1; i <= lots; i++) list.push(await mixerDeposit(`mixer:deposit:S${n}:${i}`, split(n), i));
    secrets.set(n, list);
  };
  await depositLots(1, 4);
  await mine(1_800);
  await depositLots(3, 1);
  await mine(12);
  for (const n of [4, 5, 6]) await depositLots(n, 3);
  await mine(12);

  // ── 5. The bridge: S7 locks 79 ETH and 200,000 SDOL for chain 10. ──
  const bridgeDest = walletOf('bridge-destination').address;
  const bridgeEth = await send('bridge:lock:S7', split(7), {
    to: bridgeAddr,
    value: 79n * ETH,
    data: bridgeIface.encodeFunctionData('lock', [10, bridgeDest]),
    effects: () => ledger.transfer(split(7).address, bridgeAddr, 'ETH', 79n * ETH),
  });
  await approve('approve:bridge:S7', split(7), tokenAddr, bridgeAddr);
  await mine(600);
  const bridgeToken = await send('bridge:lockToken:S7', split(7), {
    to: bridgeAddr,
    data: bridgeIface.encodeFunctionData('lockToken', [tokenAddr, 200_000n * SDOL, 10, bridgeDest]),
    effects: () => ledger.transfer(split(7).address, bridgeAddr, 'SDOL', 200_000n * SDOL),
  });
  await mine(12);

  // ── 6. The cash-out: the second exchange's deposit address and deposit contract. ──
  const dep = depositEoa.address;
  await eth('exchange:deposit:S2', split(2), dep, 40n * ETH);
  await eth('exchange:deposit:S3', split(3), dep, 30n * ETH);
  await mine(7_200);
  await eth('exchange:deposit:S8', split(8), dep, 70n * ETH);
  await mine(12);
  await tokenTransfer('exchange:deposit:SDOL:S9', split(9), tokenAddr, dep, 150_000n * SDOL);
  await eth('exchange:deposit:S9', split(9), dep, 89n * ETH + (9n * ETH) / 10n);
  await mine(12);
  await tokenTransfer('exchange:deposit:SDOL:S10', split(10), tokenAddr, dep, 350_000n * SDOL);
  await eth('exchange:deposit:S10', split(10), dep, 69n * ETH + (9n * ETH) / 10n);
  await mine(12);
  const forwardedValue = 99n * ETH + (9n * ETH) / 10n;
  const forwarded = await send('exchange:deposit-contract:S11', split(11), {
    to: forwarderAddr,
    value: forwardedValue,
    gas: 100_000n,
    effects: () => {
      ledger.transfer(split(11).address, forwarderAddr, 'ETH', forwardedValue);
      ledger.transfer(forwarderAddr, exchangeHot.address, 'ETH', forwardedValue);
    },
  });
  const oddTokenTransfer = await tokenTransfer('exchange:deposit:ODD:S12', split(12), oddAddr, dep, 25_000n * ODD);
  await mine(12);
  // The exchange sweeps its deposit address: tokens first, then all the ETH left after the sweep's own fee.
  const sweeps = [
    await tokenTransfer('exchange:sweep:SDOL', depositEoa, tokenAddr, exchangeHot.address, 500_000n * SDOL),
    await tokenTransfer('exchange:sweep:ODD', depositEoa, oddAddr, exchangeHot.address, 25_000n * ODD),
  ];
  await mine(1_800);
  const depBalance = BigInt(await rpc<string>('eth_getBalance', [dep, 'latest']));
  if (depBalance !== ledger.balance(dep, 'ETH')) throw new Error(`deposit address holds ${depBalance} wei on chain`);
  sweeps.push(await eth('exchange:sweep:ETH', depositEoa, exchangeHot.address, depBalance - GAS_TRANSFER * GAS_PRICE));
  await mine(12);

  // ── 7. A day later a relayer withdraws six lots (S1's four, S4's first two) to fresh addresses. ──
  const withdrawals: EvmScenarioMixerWithdrawal[] = [];
  const lotsOut = [...secrets.get(1)!, ...secrets.get(4)!.slice(0, 2)];
  for (const [i, secret] of lotsOut.entries()) {
    const recipient = fresh[i]!.address;
    const hash = await send(`mixer:withdraw:${i + 1}`, relayer, {
      to: mixerAddr,
      data: mixerIface.encodeFunctionData('withdraw', [recipient, secret]),
      effects: () => ledger.transfer(mixerAddr, recipient, 'ETH', MIXER_LOT),
    });
    const commitment = keccak256(secret);
    const d = deposits.get(commitment)!;
    withdrawals.push({ commitment, ...d, withdrawTx: hash, recipient, amount: MIXER_LOT.toString() });
  }
  await mine(86_400);
  await eth('noise:customer:trader', customer, trader.address, ETH / 2n);
  await mine(600);
  await rpc('evm_setAutomine', [true]);

  // Check the bookkeeping against the chain: every balance the ledger knows must be the node's.
  const balances: Record<string, AssetAmounts> = {};
  const tokenOfAsset: Record<string, string> = { SDOL: tokenAddr, ODD: oddAddr };
  for (const h of ledger.holdings()) {
    const onChain =
      h.asset === 'ETH'
        ? BigInt(await rpc<string>('eth_getBalance', [h.address, 'latest']))
        : BigInt(
            await rpc<string>('eth_call', [
              { to: tokenOfAsset[h.asset], data: erc20.encodeFunctionData('balanceOf', [h.address]) },
              'latest',
            ]),
          );
    if (onChain !== h.balance) {
      throw new Error(
        `bookkeeping differs from the chain: ${h.address} ${h.asset} ledger ${h.balance}, chain ${onChain}`,
      );
    }
    const b = balances[h.address] ?? {};
    b[h.asset] = h.balance.toString();
    balances[h.address] = b;
  }

  // The ground truth.
  const reachedAt: Record<string, AssetAmounts> = {};
  for (const [a, m] of ledger.reachedByAddress()) reachedAt[a] = amounts(m);
  const exchangeDeposits = new Map<string, bigint>();
  for (const a of [dep, forwarderAddr]) {
    for (const [asset, v] of ledger.reachedByAddress().get(a) ?? []) {
      exchangeDeposits.set(asset, (exchangeDeposits.get(asset) ?? 0n) + v);
    }
  }
  const remaining: Record<string, AssetAmounts> = {};
  for (const h of ledger.holdings()) {
    if (h.stolen === 0n || ledger.isStop(h.address)) continue;
    const r = remaining[h.address] ?? {};
    r[h.asset] = h.stolen.toString();
    remaining[h.address] = r;
  }
  const roles = {
    deployer: deployer.address,
    victimHotWallet: victim.address,
    attacker: attacker.address,
    splits: S.map((w) => w.address),
    swappers: [1, 2, 3].map((n) => split(n).address),
    mixerDepositors: [1, 3, 4, 5, 6].map((n) => split(n).address),
    bridger: split(7).address,
    exchangeSenders: [2, 3, 8, 9, 10, 11, 12].map((n) => split(n).address),
    oddTokenHolder: split(12).address,
    cleanSender: cleanSender.address,
    cleanReceiver: split(8).address,
    exchangeDepositAddress: dep,
    exchangeDepositContract: forwarderAddr,
    exchangeHotWallet: exchangeHot.address,
    relayer: relayer.address,
    mixerRecipients: fresh.map((w) => w.address),
    customer: customer.address,
    trader: trader.address,
  };
  const asOf = new Date(time * 1000).toISOString().slice(0, 10);
  const source = `scenario script ${SCRIPT_PATH}`;
  const label = (address: string, name: string, category: Label['category']): Label => ({
    chain: 'anvil',
    address,
    name,
    category,
    pack: `${CASE_NAME}-labels`,
    source,
    asOf,
    confidence: 'high',
  });
  const labels = [
    label(victim.address, 'Anvil Exchange hot wallet (victim of the scenario drain)', 'victim'),
    label(attacker.address, 'Scenario attacker (receives the drain)', 'attacker'),
    label(mixerAddr, 'Scenario Mixer (10 ETH lots)', 'mixer'),
    label(bridgeAddr, 'Scenario Bridge', 'bridge'),
    label(exchangeHot.address, 'Second Exchange hot wallet', 'exchange'),
    label(poolAddr, 'Scenario SwapPool (ETH/SDOL)', 'service'),
  ];
  const labelsCsv = serializeCsvPack({
    info: { name: `${CASE_NAME}-labels`, title: `Labelled addresses of the ${CASE_NAME} scenario`, source, asOf },
    labels,
  });
  const categories = ['mixer', 'bridge', 'exchange', 'service'];
  return {
    format: 'fundflow.evm-scenario/1',
    chain: 'anvil',
    chainId: anvil.chainId,
    node: anvil.version,
    startTime: txs[0]!.time,
    endTime: time,
    lastBlock: txs[txs.length - 1]!.block,
    gasPrice: GAS_PRICE.toString(),
    theftWindow: { since, until },
    assets: {
      ETH: { symbol: 'ETH', decimals: 18, contract: null },
      SDOL: { symbol: 'SDOL', decimals: 6, contract: tokenAddr },
      ODD: { symbol: 'ODD', decimals: null, contract: oddAddr },
    },
    roles,
    contracts: {
      token: tokenAddr,
      oddToken: oddAddr,
      pool: poolAddr,
      mixer: mixerAddr,
      bridge: bridgeAddr,
      disperser: disperserAddr,
      forwarder: forwarderAddr,
    },
    labels,
    labelsCsv,
    txs,
    probes: {
      drains,
      contractCreation,
      reverted,
      oddTokenTransfer,
      cleanFunds,
      disperse,
      forwarded,
      bridgeEth,
      bridgeToken,
      sweeps,
    },
    swaps,
    mixerWithdrawals: withdrawals,
    fifo: {
      rule: FIFO_RULE,
      stolen: amounts(ledger.stolen),
      swappedOut: amounts(ledger.swappedOut),
      reached: Object.fromEntries(categories.map((c) => [c, amounts(ledger.reachedByCategory(c))])),
      reachedAt,
      exchangeDeposits: amounts(exchangeDeposits),
      fees: amounts(ledger.fees),
      remaining,
    },
    balances,
  };
}

/** The bookkeeping rule, as the ground truth states it. */
export const FIFO_RULE =
  'FIFO per (address, asset) over the balance history: incoming value queues behind what is there; a transfer takes ' +
  'from the head; a transaction applies its value, internal calls and token transfers in execution order, then its ' +
  'gas fee (ETH) from the head of the sender; victim→attacker transfers in the theft window arrive wholly stolen; ' +
  'stolen value reaching a labelled stop (mixer, bridge, exchange, service) is counted there and continues clean; a ' +
  'swap passes the stolen share of its input to its output (out × stolenIn / in, rounded down, stolen part first); ' +
  'money from outside (genesis, anvil_setBalance, mint) is clean.';

async function main(): Promise<void> {
  const anvil = await startAnvil(EVM_SCENARIO_ANVIL_OPTIONS);
  try {
    const truth = await runEvmScenario(anvil);
    process.stdout.write(`${canonicalJson(truth, 2)}\n`);
  } finally {
    await anvil.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  });
}
