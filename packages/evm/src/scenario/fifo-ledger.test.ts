import { describe, expect, it } from 'vitest';
import { FifoLedger } from './fifo-ledger';

const V = '0xVictim';
const A = '0xAttacker';
const B = '0xSplit';
const C = '0xClean';
const M = '0xMixer';
const P = '0xPool';
const D = '0xDeposit';

describe('FifoLedger', () => {
  it('marks theft transfers stolen whatever the victim held, and takes fees after the transfer', () => {
    const l = new FifoLedger();
    l.credit(V, 'ETH', 100n);
    l.theft(V, A, 'ETH', 60n);
    expect(l.stolen.get('ETH')).toBe(60n);
    expect(l.transfer(A, B, 'ETH', 50n)).toBe(50n);
    expect(l.fee(A, 'ETH', 3n)).toBe(3n);
    expect(l.fees.get('ETH')).toBe(3n);
    expect(l.balance(A, 'ETH')).toBe(7n);
    expect(l.stolenBalance(A, 'ETH')).toBe(7n);
    expect(l.balance(V, 'ETH')).toBe(40n);
    expect(l.stolenBalance(V, 'ETH')).toBe(0n);
  });

  it('sends stolen value first when it arrived before clean value (FIFO), fee from what is next', () => {
    const l = new FifoLedger();
    l.credit(V, 'ETH', 100n);
    l.credit(C, 'ETH', 100n);
    l.theft(V, B, 'ETH', 60n);
    l.transfer(C, B, 'ETH', 20n);
    expect(l.transfer(B, D, 'ETH', 70n)).toBe(60n);
    expect(l.fee(B, 'ETH', 1n)).toBe(0n);
    expect(l.runs(D, 'ETH')).toEqual([
      { amount: 60n, stolen: true },
      { amount: 10n, stolen: false },
    ]);
    expect(l.runs(B, 'ETH')).toEqual([{ amount: 9n, stolen: false }]);
  });

  it('counts stolen arrivals at stops and watched addresses; value continues clean after a stop', () => {
    const l = new FifoLedger({ stops: { [M]: 'mixer' }, watch: [D] });
    l.credit(V, 'ETH', 100n);
    l.credit(C, 'ETH', 100n);
    l.transfer(C, M, 'ETH', 10n);
    l.theft(V, A, 'ETH', 50n);
    l.transfer(A, M, 'ETH', 20n);
    l.transfer(A, D, 'ETH', 5n);
    expect(l.reachedByCategory('mixer').get('ETH')).toBe(20n);
    expect(l.reachedByAddress().get(M)?.get('ETH')).toBe(20n);
    expect(l.reachedByAddress().get(D)?.get('ETH')).toBe(5n);
    expect(l.transfer(M, B, 'ETH', 30n)).toBe(0n);
    expect(l.isStop(M.toLowerCase())).toBe(true);
  });

  it('converts the stolen share of a swap input into the output asset', () => {
    const l = new FifoLedger({ stops: { [P]: 'service' } });
    l.credit(V, 'TKN', 1_000n);
    l.credit(C, 'TKN', 1_000n);
    l.credit(P, 'ETH', 1_000n);
    l.theft(V, B, 'TKN', 300n);
    l.transfer(C, B, 'TKN', 100n);
    expect(l.swap(B, P, 'TKN', 400n, 'ETH', 99n)).toEqual({ stolenIn: 300n, stolenOut: 74n });
    expect(l.runs(B, 'ETH')).toEqual([
      { amount: 74n, stolen: true },
      { amount: 25n, stolen: false },
    ]);
    expect(l.swappedOut.get('ETH')).toBe(74n);
    expect(l.reachedByCategory('service').get('TKN')).toBe(300n);
  });

  it('refuses to move more than an address holds', () => {
    const l = new FifoLedger();
    l.credit(A, 'ETH', 5n);
    expect(() => l.transfer(A, B, 'ETH', 6n)).toThrow(/holds 5 ETH/);
    expect(() => l.fee(B, 'ETH', 1n)).toThrow(/holds 0 ETH/);
  });

  it('lists holdings with addresses as first spelled', () => {
    const l = new FifoLedger();
    l.credit('0xAbC', 'ETH', 5n);
    l.transfer('0xabc', '0xDeF', 'ETH', 2n);
    expect(l.holdings()).toEqual([
      { address: '0xAbC', asset: 'ETH', balance: 3n, stolen: 0n },
      { address: '0xDeF', asset: 'ETH', balance: 2n, stolen: 0n },
    ]);
  });
});
