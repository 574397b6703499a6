// Node-only parts of @fundflow/core (they use node:fs). Everything else is in '@fundflow/core' and runs in browsers too.

export { type CaseFolder, expectedFromTrace, writeCaseFolder } from './case/write-case';
export { builtinPackPaths, loadPackFile } from './labels/load-pack';
export { CASSETTE_FILE, loadCassette, MANIFEST_FILE, saveCassette } from './transport/cassette-fs';
export { type JournaledOptions, type JournaledTransport, journaled } from './transport/journaled';
export { freePortForTest } from './util/free-port';
export { nodeRpc } from './util/node-rpc';
