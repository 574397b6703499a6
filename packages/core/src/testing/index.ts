export { type ConformanceFixture, describeChainSourceConformance } from './conformance';
export { type Delay, MemoryAccountSource, MemoryUtxoSource } from './memory-sources';
