import {
  type LabelPackDraft,
  LabelRegistry,
  type PolicyName,
  parseCsvPack,
  serializeCsvPack,
  type TraceParams,
} from '@fundflow/core';
import type { ScenarioBase } from './scenario';

/**
 * A scenario's labels as a CSV label pack (source "simulated", as of the scenario's date), the way a trace reads
 * labels: the same pack text a case folder's `labels.csv` holds.
 * @example serializeCsvPack(scenarioLabelPack(s))
 */
export function scenarioLabelPack(s: ScenarioBase): LabelPackDraft {
  return { info: { name: 'sim', source: 'simulated', asOf: s.asOf }, labels: s.labels };
}

/**
 * A label registry holding the scenario's pack, parsed from its CSV text as a case's `labels.csv` would be.
 * @example traceForward({ source, labels: scenarioLabels(s), params })
 */
export function scenarioLabels(s: ScenarioBase): LabelRegistry {
  const registry = new LabelRegistry();
  registry.addPack(parseCsvPack(serializeCsvPack(scenarioLabelPack(s))));
  return registry;
}

/**
 * Trace parameters for a scenario: its seed and theft window, with the given policies and stop rules.
 * @example scenarioParams(s, ['fifo'], { maxHops: 1000, minAmount: 0n, fanOutCap: 1000, stopCategories })
 */
export function scenarioParams(s: ScenarioBase, policies: PolicyName[], stop: TraceParams['stop']): TraceParams {
  return { seeds: [s.seedAddress], since: s.since, until: s.until, policies, stop };
}
