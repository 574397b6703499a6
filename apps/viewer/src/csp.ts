/**
 * The viewer's Content-Security-Policy: one definition for index.html's meta tag (checked by csp.test.ts),
 * scripts/serve.ts's header (plus the origins given with `--connect`), and the page's own check that a live endpoint
 * is allowed before any request carrying an API key is made.
 */

/**
 * The public API origins the live "Expand one hop" form prefills (see `LIVE_DEFAULTS` in expand.ts): Esplora
 * (Blockstream, mempool.space, litecoinspace), Etherscan API v2, Blockscout instances, a NIS1 node.
 */
export const PUBLIC_API_ORIGINS: readonly string[] = [
  'https://blockstream.info',
  'https://mempool.space',
  'https://litecoinspace.org',
  'https://api.etherscan.io',
  'https://*.blockscout.com',
  'http://san.nem.ninja:7890',
];

/** The policy without `connect-src` extras; `frame-ancestors` only when sent as a header (a meta tag ignores it). */
export function viewerCsp(options: { connect?: readonly string[]; header?: boolean } = {}): string {
  const connect = ["'self'", ...PUBLIC_API_ORIGINS, ...(options.connect ?? [])].join(' ');
  return (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    `connect-src ${connect}; font-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; ` +
    `object-src 'none'${options.header ? "; frame-ancestors 'none'" : ''}`
  );
}

/**
 * An origin for `--connect` (`http://127.0.0.1:3002`, `https://esplora.example.org`, `http://127.0.0.1:*`), normalised
 * (lower case, no trailing slash); undefined when it is not a plain http(s) origin (no path, query, quote or `;`).
 */
export function connectOrigin(text: string): string | undefined {
  const t = text.trim().replace(/\/+$/, '').toLowerCase();
  return /^https?:\/\/(\*\.)?[a-z0-9.-]+(:(\d{1,5}|\*))?$/.test(t) ||
    /^https?:\/\/\[[0-9a-f:.]+\](:(\d{1,5}|\*))?$/.test(t)
    ? t
    : undefined;
}

/** The sources of a policy's `connect-src` (empty when it has none). */
export function connectSources(policy: string): string[] {
  for (const directive of policy.split(';')) {
    const [name, ...values] = directive.trim().split(/\s+/);
    if (name?.toLowerCase() === 'connect-src') return values;
  }
  return [];
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * Whether `url` may be fetched under these `connect-src` sources (CSP source matching for what the viewer uses:
 * `'self'`, `scheme:`, `scheme://host[:port|:*]` with an optional `*.` host wildcard; a source's path is ignored).
 */
export function connectAllowed(url: string, sources: readonly string[], self: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const port = u.port || DEFAULT_PORTS[u.protocol] || '';
  return sources.some((raw) => {
    const s = raw.toLowerCase();
    if (s === "'self'") return u.origin === self;
    if (s === '*') return u.protocol === 'http:' || u.protocol === 'https:';
    if (/^[a-z][a-z0-9+.-]*:$/.test(s)) return u.protocol === s || (s === 'http:' && u.protocol === 'https:');
    const m = /^([a-z][a-z0-9+.-]*):\/\/(\*\.)?([^:/]+|\[[^\]]+\])(?::(\d+|\*))?(?:\/.*)?$/.exec(s);
    if (m === null) return false;
    const [, scheme, wildcard, host, sourcePort] = m;
    const schemeOk = `${scheme}:` === u.protocol || (scheme === 'http' && u.protocol === 'https:');
    const hostOk = wildcard !== undefined ? u.hostname.endsWith(`.${host}`) : u.hostname === host;
    const portOk =
      sourcePort === '*' ||
      (sourcePort !== undefined ? sourcePort === port : port === DEFAULT_PORTS[`${scheme}:`]) ||
      (sourcePort === undefined && scheme === 'http' && u.protocol === 'https:' && port === '443');
    return schemeOk && hostOk && portOk;
  });
}
