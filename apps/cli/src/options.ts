import {
  DEFAULT_STOP_CATEGORIES,
  FundflowError,
  LABEL_CATEGORIES,
  type LabelCategory,
  POLICIES,
  type PolicyName,
} from '@fundflow/core';

/** `2018-01-25`, `2018-01-25T15:02:00Z` or unix seconds → unix seconds. */
export function parseTime(value: string, flag: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new FundflowError(
      'INVALID_ARGUMENT',
      `${flag} takes a date (2018-01-25, 2018-01-25T15:02:00Z) or unix seconds`,
      {
        details: { flag, value },
      },
    );
  }
  return Math.floor(ms / 1000);
}

export function parsePolicies(value: string): PolicyName[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of list) {
    if (!(POLICIES as readonly string[]).includes(p)) {
      throw new FundflowError('INVALID_ARGUMENT', `Unknown policy "${p}" (fifo, haircut, poison)`, {
        details: { policy: p },
      });
    }
  }
  return list as PolicyName[];
}

export function parseCategories(value: string): LabelCategory[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const c of list) {
    if (!(LABEL_CATEGORIES as readonly string[]).includes(c)) {
      throw new FundflowError('INVALID_ARGUMENT', `Unknown label category "${c}" (${LABEL_CATEGORIES.join(', ')})`);
    }
  }
  return list as LabelCategory[];
}

export function parseWhole(value: string, flag: string, min = 0): number {
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new FundflowError('INVALID_ARGUMENT', `${flag} takes a whole number ≥ ${min}`, { details: { flag, value } });
  }
  return Number(value);
}

export function parseAmount(value: string, flag: string): bigint {
  if (!/^\d+$/.test(value)) {
    throw new FundflowError('INVALID_ARGUMENT', `${flag} takes an amount in base units (satoshi, wei, micro-XEM)`, {
      details: { flag, value },
    });
  }
  return BigInt(value);
}

export const DEFAULT_STOP = DEFAULT_STOP_CATEGORIES.join(',');
