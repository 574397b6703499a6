import type { z } from 'zod';
import { FundflowError } from '../errors';

/**
 * Validates an API answer against its zod wire schema; a mismatch is `BAD_RESPONSE` naming the path and the first
 * problem (for sources: wire types stay inside the source package, this only reports).
 * @example const tx = parseWire(esploraTxSchema, res.json, url)
 */
export function parseWire<T>(schema: z.ZodType<T>, json: unknown, url: string): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const at = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  const message = issue?.message ?? 'invalid';
  const path = new URL(url).pathname;
  throw new FundflowError('BAD_RESPONSE', `${path}: unexpected response body at ${at}: ${message}`, {
    details: { url, path, at, issue: message },
  });
}

/** The first 200 characters of a body, whitespace folded: enough for an error message, never a whole page. */
export function bodyExcerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
