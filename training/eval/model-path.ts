import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class ModelNotFoundError extends Error {
  override name = 'ModelNotFoundError';
}

/** `default` → public/models/default/manifest.json; a folder or a manifest.json path also work. */
export function resolveModel(nameOrPath: string): { manifestPath: string; name: string } {
  const candidates = nameOrPath.endsWith('.json')
    ? [nameOrPath]
    : [join('public', 'models', nameOrPath, 'manifest.json'), join(nameOrPath, 'manifest.json')];
  for (const c of candidates) {
    if (existsSync(c) && statSync(c).isFile()) return { manifestPath: c, name: basename(dirname(c)) };
  }
  throw new ModelNotFoundError(`No exported model "${nameOrPath}" (looked for ${candidates.join(', ')}). Export one with npm run export, or pass a folder holding manifest.json.`);
}

/** An exported ablation without template conditioning, by naming convention, when it exists. */
export function findNoTemplateModel(name: string): string | null {
  for (const suffix of ['-no-template', '-notemplate']) {
    const path = join('public', 'models', `${name}${suffix}`, 'manifest.json');
    if (existsSync(path)) return path;
  }
  return null;
}
