/**
 * A minimal JSON-RPC call for the scripts that *play* scenarios on local nodes (litecoind, anvil): sending coins,
 * mining. Tracing never uses it — sources go through a Transport. Throws with the node's own message.
 * @example await nodeRpc<string>('http://127.0.0.1:8545', 'eth_blockNumber', [], { who: 'anvil' })
 */
export async function nodeRpc<T = unknown>(
  url: string,
  method: string,
  params: unknown[],
  options: { who: string; headers?: Record<string, string>; jsonrpc?: '1.0' | '2.0' },
): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.headers ?? {}) },
    body: JSON.stringify({ jsonrpc: options.jsonrpc ?? '2.0', id: 1, method, params }),
  });
  const text = await res.text();
  let reply: { result?: T; error?: { code: number; message: string } | null };
  try {
    reply = JSON.parse(text);
  } catch {
    throw new Error(`${options.who} ${method}: HTTP ${res.status} ${text.slice(0, 200)}`);
  }
  if (reply.error) throw new Error(`${options.who} ${method}: ${reply.error.message} (code ${reply.error.code})`);
  return reply.result as T;
}
