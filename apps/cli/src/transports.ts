import {
  Cassette,
  FundflowError,
  http,
  recording,
  replaying,
  type Transport,
  type TransportStats,
} from '@fundflow/core';
import { journaled, loadCassette } from '@fundflow/core/node';

export interface TransportPlan {
  /** Offline from this cassette folder. */
  replayDir?: string;
  /** Keep every answer in a cassette (`BuiltTransport.cassette`). */
  record?: boolean;
  /** Journal file: a killed trace resumes from it without repeating a request. */
  checkpoint?: string;
  requestsPerSecond?: number;
  secrets?: string[];
}

export interface BuiltTransport {
  transport: Transport;
  /** Network statistics (live) and how many answers came from the checkpoint. */
  stats(): TransportStats & { fromCheckpoint: number };
  /** Every answer, when recording. */
  cassette?: Cassette;
  /** Closes the checkpoint journal. */
  finish(): void;
}

/** Composes http → checkpoint journal → recording, or a replaying transport, from the CLI's options. */
export async function buildTransport(plan: TransportPlan): Promise<BuiltTransport> {
  if (plan.replayDir) {
    if (plan.record || plan.checkpoint) {
      throw new FundflowError('INVALID_ARGUMENT', '--replay cannot be combined with --record or --checkpoint');
    }
    const transport = replaying(await loadCassette(plan.replayDir));
    return { transport, stats: () => ({ ...transport.stats(), fromCheckpoint: 0 }), finish: () => {} };
  }
  const net = http({
    rateLimit: { requestsPerSecond: plan.requestsPerSecond ?? 4 },
    ...(plan.secrets ? { secrets: plan.secrets } : {}),
  });
  const journal = plan.checkpoint
    ? journaled(net, plan.checkpoint, plan.secrets ? { secrets: plan.secrets } : {})
    : undefined;
  const cassette = plan.record ? new Cassette() : undefined;
  const inner: Transport = journal ?? net;
  const transport = cassette ? recording(inner, cassette, plan.secrets ? { secrets: plan.secrets } : {}) : inner;
  return {
    transport,
    stats: () => ({ ...net.stats(), fromCheckpoint: journal?.served() ?? 0 }),
    ...(cassette ? { cassette } : {}),
    finish: () => journal?.close(),
  };
}
