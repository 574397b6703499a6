import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const FIXTURES = fileURLToPath(new URL('../../fixtures', import.meta.url));

interface CaseEntry {
  name: string;
  chain: string;
  description: string;
  file: string;
}

/** Every fixtures/<case>/ with a case.json and an expected.trace.json, sorted by name. */
function readCases(): { entry: CaseEntry; path: string; dir: string }[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .flatMap((name) => {
      const dir = join(FIXTURES, name);
      const trace = join(dir, 'expected.trace.json');
      if (!existsSync(join(dir, 'case.json')) || !existsSync(trace)) return [];
      const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as { description?: string };
      const t = JSON.parse(readFileSync(trace, 'utf8')) as { chain?: string };
      const entry = {
        name,
        chain: String(t.chain ?? ''),
        description: String(c.description ?? ''),
        file: `cases/${name}.trace.json`,
      };
      return [{ entry, path: trace, dir }];
    });
}

/** The files of a case that "Expand one hop" fetches: `cases/<name>/{case,cassette,manifest}.json`. */
function caseFiles(c: { entry: CaseEntry; dir: string }): { fileName: string; path: string }[] {
  const files = [{ fileName: `cases/${c.entry.name}/case.json`, path: join(c.dir, 'case.json') }];
  for (const f of ['cassette.json', 'manifest.json']) {
    const path = join(c.dir, 'cassette', f);
    if (existsSync(path)) files.push({ fileName: `cases/${c.entry.name}/${f}`, path });
  }
  return files;
}

/**
 * Bundles the fixture cases with the viewer: `cases/index.json` (name, chain, description) and
 * `cases/<name>.trace.json`, and for "Expand one hop" `cases/<name>/case.json` with the case's recorded cassette
 * (`cassette.json`, `manifest.json`); served by the dev server and written into the build, so the viewer works offline.
 */
function fixtureCases(): Plugin {
  return {
    name: 'fundflow-fixture-cases',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0] ?? '';
        if (!url.startsWith('/cases/')) return next();
        const cases = readCases();
        const body =
          url === '/cases/index.json'
            ? JSON.stringify(cases.map((c) => c.entry))
            : (() => {
                const hit = cases.find((c) => `/${c.entry.file}` === url);
                if (hit !== undefined) return readFileSync(hit.path, 'utf8');
                const file = cases.flatMap(caseFiles).find((f) => `/${f.fileName}` === url);
                return file !== undefined ? readFileSync(file.path, 'utf8') : undefined;
              })();
        if (body === undefined) return next();
        res.setHeader('content-type', 'application/json');
        res.end(body);
      });
    },
    generateBundle() {
      const cases = readCases();
      this.emitFile({
        type: 'asset',
        fileName: 'cases/index.json',
        source: JSON.stringify(cases.map((c) => c.entry)),
      });
      for (const c of cases) {
        this.emitFile({ type: 'asset', fileName: c.entry.file, source: readFileSync(c.path, 'utf8') });
        for (const f of caseFiles(c)) {
          this.emitFile({ type: 'asset', fileName: f.fileName, source: readFileSync(f.path, 'utf8') });
        }
      }
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [fixtureCases()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
