import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { GradientModule } from './protocol';

export class GradientModuleError extends Error {
  constructor(modulePath: string, problem: string) {
    super(`Gradient module ${modulePath} ${problem}. It must export computeGradients(params, batch, phase).`);
    this.name = 'GradientModuleError';
  }
}

/** Imports a gradient module by file path (absolute, or relative to the working directory) or file URL. */
export async function loadGradientModule(modulePath: string, options: unknown): Promise<GradientModule> {
  const url = modulePath.startsWith('file:') ? modulePath : pathToFileURL(path.resolve(modulePath)).href;
  return setUpGradientModule((await import(url)) as Partial<GradientModule>, modulePath, options);
}

/** Checks an imported gradient module and runs its setup(options). `name` is for the error. */
export async function setUpGradientModule(mod: Partial<GradientModule>, name: string, options: unknown): Promise<GradientModule> {
  if (typeof mod.computeGradients !== 'function') throw new GradientModuleError(name, 'has no computeGradients export');
  if (typeof mod.setup === 'function') await mod.setup(options);
  return mod as GradientModule;
}
