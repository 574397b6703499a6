/**
 * JSON with sorted object keys and bigints as decimal strings: the same value always gives the same bytes.
 * @example canonicalJson({ b: 1n, a: [2, 1] }) === '{"a":[2,1],"b":"1"}'
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortDeep(value), null, indent);
}

function sortDeep(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortDeep(v);
    }
    return out;
  }
  return value;
}
