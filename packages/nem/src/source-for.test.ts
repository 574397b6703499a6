import { Cassette, isFundflowError, replaying } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { NisSource } from './nis-source';
import { nemSourceFor } from './source-for';

const transport = replaying(new Cassette());

describe('nemSourceFor', () => {
  it('builds a NIS1 source (mainnet unless the spec says), and leaves other kinds alone', () => {
    const source = nemSourceFor({ kind: 'nis1', chain: 'nem', endpoint: 'http://x.invalid:7890' }, transport);
    expect(source).toBeInstanceOf(NisSource);
    expect(source?.info.network).toBe('mainnet');
    expect(
      nemSourceFor({ kind: 'esplora', chain: 'bitcoin', endpoint: 'http://x.invalid' }, transport),
    ).toBeUndefined();
  });

  it('refuses a network it does not know', () => {
    let error: unknown;
    try {
      nemSourceFor({ kind: 'nis1', chain: 'nem', network: 'mijin', endpoint: 'http://x.invalid' }, transport);
    } catch (e) {
      error = e;
    }
    expect(isFundflowError(error, 'INVALID_ARGUMENT')).toBe(true);
  });
});
