/** Test and fixture helpers of @fundflow/nem: a fake NIS1 node and the simulated 2018-style drain. Not for real data. */
export { type DrainScenario, generateDrainScenario, jst, PUBLISHED_FIRST_HOP } from './drain-scenario';
export { type FakeNisNode, type FakeNisNodeOptions, fakeNisNode, type NisLedger } from './fake-nis-node';
export { Prng } from './prng';
