import { loadLabels } from '../label-set';

export interface LabelsOptions {
  chain?: string;
  labels: string[];
  builtinLabels: boolean;
  json?: boolean;
}

/** `fundflow labels [address]`: the packs in use, or the labels of one address with their provenance. */
export async function labelsCommand(address: string | undefined, o: LabelsOptions): Promise<unknown> {
  const registry = await loadLabels(o.labels, o.builtinLabels);
  if (address === undefined) {
    const packs = registry.packs();
    if (!o.json) {
      for (const p of packs) {
        process.stdout.write(`${p.name}\t${p.count} labels\tas of ${p.asOf}\t${p.source}\n`);
      }
    }
    return packs;
  }
  const chains = o.chain ? [o.chain] : ['bitcoin', 'litecoin', 'ethereum', 'nem', 'tron', 'bitcoin-cash', '*'];
  const found = chains.flatMap((c) => registry.lookup(c, address));
  if (!o.json) {
    if (found.length === 0) process.stdout.write(`no label for ${address}\n`);
    for (const l of found) {
      process.stdout.write(
        `${l.chain}\t${l.category}\t${l.name}\t${l.pack}\tas of ${l.asOf}\t${l.confidence}\t${l.source}\n`,
      );
    }
  }
  return found;
}
