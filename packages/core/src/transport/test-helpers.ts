import { FundflowError } from '../errors';

/**
 * The FundflowError a promise rejects with, for the transport tests to look at; anything else (resolving, another
 * error) fails the test.
 * @example expect((await failure(transport.request(req))).code).toBe('TIMEOUT')
 */
export async function failure(p: Promise<unknown>): Promise<FundflowError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FundflowError) return e;
    throw e;
  }
  throw new Error('expected a FundflowError');
}
