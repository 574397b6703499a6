import { LabelRegistry } from '@fundflow/core';
import { builtinPackPaths, loadPackFile } from '@fundflow/core/node';

/** The packs a command uses: the bundled ones (OFAC SDN …) unless disabled, then the user's, in the order given. */
export async function loadLabels(files: string[], builtin: boolean): Promise<LabelRegistry> {
  const registry = new LabelRegistry();
  for (const path of [...(builtin ? builtinPackPaths() : []), ...files]) registry.addPack(await loadPackFile(path));
  return registry;
}
