import {
  Cassette,
  FundflowError,
  http,
  recording,
  replaying,
  type Transport,
  type TransportStats,
} from '@fundflow/core';
import { journaled, loadCassette, saveCassette } from '@fundflow/core/node';

export interface TransportPlan {
  /** Offline from this cassette folder. */
  replayDir?: string;
  /** Record every answer into this cassette folder when the trace is done. */
  recordDir?: string;
  /** Journal file: a killed trace resumes from it without repeating a request. */
  checkpoint?: string;
  requestsPerSecond?: number;
  secrets?: string[];
}

export interface BuiltTransport {
  transport: Transport;
  /** Network statistics (live) and how many answers came from the checkpoint. */
  stats(): TransportStats & { fromCheckpoint: number };
  /** Saves the recording (if any) and closes the checkpoint. */
  finish(ok: boolean): Promise<void>;
}

/** Composes http → checkpoint journal → recording, or a replaying transport, from the CLI's options. */
export async function buildTransport(plan: TransportPlan): Promise<BuiltTransport> {
  if (plan.replayDir) {
    if (plan.recordDir || plan.checkpoint) {
      throw new FundflowError('INVALID_ARGUMENT', '--replay cannot be combined with --record or --checkpoint');
    }
    const transport = replaying(await loadCassette(plan.replayDir));
    return { transport, stats: () => ({ ...transport.stats(), fromCheckpoint: 0 }), finish: async () => {} };
  }
  const net = http({
    rateLimit: { requestsPerSecond: plan.requestsPerSecond ?? 4 },
    ...(plan.secrets ? { secrets: plan.secrets } : {}),
  });
  const journal = plan.checkpoint
    ? journaled(net, plan.checkpoint, plan.secrets ? { secrets: plan.secrets } : {})
    : undefined;
  const cassette = plan.recordDir ? new Cassette() : undefined;
  const inner: Transport = journal ?? net;
  const transport = cassette ? recording(inner, cassette, plan.secrets ? { secrets: plan.secrets } : {}) : inner;
  return {
    transport,
    stats: () => ({ ...net.stats(), fromCheckpoint: journal?.served() ?? 0 }),
    finish: async (ok) => {
      journal?.close();
      if (ok && cassette && plan.recordDir) await saveCassette(plan.recordDir, cassette);
    },
  };
}
