import type { Architecture } from './architecture';
import { tinyArchitecture } from './tiny/architecture';
import { memeFaceArchitecture, memeFaceArchitectureFor } from './memeface/architecture';

/** Every architecture a manifest may name. The real MemeFaceGenerator registers here too. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ARCHITECTURES: Record<string, Architecture<any>> = {
  tiny: tinyArchitecture,
  memeface: { ...memeFaceArchitecture, specialize: memeFaceArchitectureFor },
};

export class UnknownArchitectureError extends Error {
  override name = 'UnknownArchitectureError';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function getArchitecture(name: string): Architecture<any> {
  const a = ARCHITECTURES[name];
  if (!a) throw new UnknownArchitectureError(`Unknown model architecture "${name}". Known: ${Object.keys(ARCHITECTURES).join(', ')}.`);
  return a;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function registerArchitecture(a: Architecture<any>): void {
  ARCHITECTURES[a.name] = a;
}

/** The architecture a manifest names, as its config builds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function resolveArchitecture(name: string, cfg: any): Architecture<any> {
  const a = getArchitecture(name);
  return a.specialize ? a.specialize(cfg) : a;
}
