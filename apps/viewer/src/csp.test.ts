import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CSP, connectOrigins, withMetaCsp } from '../scripts/serve';
import { connectAllowed, connectOrigin, connectSources, PUBLIC_API_ORIGINS, viewerCsp } from './csp';
import { LIVE_KINDS, liveEndpoint } from './expand';

const html = readFileSync(new URL('../index.html', import.meta.url), 'utf8');
const metaOf = (page: string) => /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(page)![1]!;

describe('the viewer CSP', () => {
  it('index.html carries the policy of src/csp.ts; the header adds frame-ancestors only', () => {
    expect(metaOf(html)).toBe(viewerCsp());
    expect(CSP).toBe(`${viewerCsp()}; frame-ancestors 'none'`);
    expect(connectSources(viewerCsp())).toEqual(["'self'", ...PUBLIC_API_ORIGINS]);
  });

  it('serve.ts puts --connect origins in the header and the meta tag alike (both apply)', () => {
    const header = viewerCsp({ header: true, connect: connectOrigins(['http://127.0.0.1:3002/,https://X.example']) });
    const page = withMetaCsp(html, header);
    expect(connectSources(metaOf(page))).toEqual(connectSources(header));
    expect(connectSources(header).slice(-2)).toEqual(['http://127.0.0.1:3002', 'https://x.example']);
    expect(metaOf(page)).not.toContain('frame-ancestors');
    expect(() => connectOrigins(["http://x.org; script-src 'unsafe-inline'"])).toThrow(/--connect/);
    for (const bad of ['x.org', 'ftp://x.org', 'http://x.org/path', "'self'", 'http://a b']) {
      expect(connectOrigin(bad), bad).toBeUndefined();
    }
    expect(connectOrigin('http://127.0.0.1:*')).toBe('http://127.0.0.1:*');
  });

  it('allows every endpoint the live form prefills, and nothing else by default', () => {
    const sources = connectSources(viewerCsp());
    const self = 'http://127.0.0.1:4173';
    const traces = [
      { chain: 'bitcoin', sources: [{ chain: 'bitcoin', kind: 'esplora', endpoint: 'x', network: 'bitcoin' }] },
      { chain: 'bitcoin', sources: [{ chain: 'bitcoin', kind: 'esplora', endpoint: 'x', network: 'testnet' }] },
      { chain: 'bitcoin', sources: [{ chain: 'bitcoin', kind: 'esplora', endpoint: 'x', network: 'signet' }] },
      { chain: 'litecoin', sources: [{ chain: 'litecoin', kind: 'esplora', endpoint: 'x', network: 'litecoin' }] },
      { chain: 'nem', sources: [{ chain: 'nem', kind: 'nis1', endpoint: 'x', network: 'mainnet' }] },
      ...['ethereum', 'sepolia', 'optimism', 'base', 'polygon', 'arbitrum'].map((chain) => ({ chain, sources: [] })),
    ];
    let prefilled = 0;
    for (const trace of traces) {
      for (const kind of LIVE_KINDS) {
        const endpoint = liveEndpoint(kind, trace);
        if (endpoint === '' || endpoint === 'x') continue;
        prefilled++;
        expect(connectAllowed(`${endpoint}/tx/1`, sources, self), endpoint).toBe(true);
      }
    }
    expect(prefilled).toBeGreaterThanOrEqual(12);
    expect(connectAllowed('http://127.0.0.1:4173/cases/index.json', sources, self)).toBe(true);
    for (const no of [
      'http://127.0.0.1:3002/tx',
      'https://evil.example/',
      'http://blockstream.info/api', // http where the source says https
      'https://blockstream.info:8443/api',
      'https://blockscout.com.evil.example/',
      'http://san.nem.ninja/account',
      'not a url',
    ]) {
      expect(connectAllowed(no, sources, self), no).toBe(false);
    }
    expect(connectAllowed('https://eth.blockscout.com/api/v2', sources, self)).toBe(true);
    expect(connectAllowed('http://127.0.0.1:9/x', ['http://127.0.0.1:*'], self)).toBe(true);
  });
});
