// Finds each face's drawing in a style's npm package: by codepoint where the set has a codepoint
// table, otherwise by current or legacy CLDR name (see aliases.ts).
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ReinstallDataPackagesError } from '../errors.js';
import type { Face } from '../faces.js';
import { FXEMOJI_NAMES, LEGACY_NAMES } from './aliases.js';
import type { StyleSpec } from './styles.js';

const require = createRequire(import.meta.url);

export interface FaceDrawing {
  face: Face;
  /** Icon name or file name inside the package, for the manifest. */
  sourceName: string;
  format: 'svg' | 'webp';
  load: () => Buffer;
}

interface IconifyIcon { body: string; width?: number; height?: number; left?: number; top?: number }
interface IconifySet {
  icons: Record<string, IconifyIcon>;
  aliases?: Record<string, { parent: string }>;
  width?: number;
  height?: number;
}

function requirePackageFile<T>(specifier: string): T {
  try {
    return require(specifier) as T;
  } catch (error) {
    throw new ReinstallDataPackagesError(`Cannot load ${specifier}; run npm ci. (${String(error)})`);
  }
}

function resolvePackageFile(specifier: string): string {
  try {
    return require.resolve(specifier);
  } catch (error) {
    throw new ReinstallDataPackagesError(`Cannot find ${specifier}; run npm ci. (${String(error)})`);
  }
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[’']/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Names to try, most specific first. */
function candidateNames(face: Face, chars: Record<string, string>): string[] {
  const hex = face.hexcode.toLowerCase();
  const base = slug(face.label);
  const names = [chars[hex], chars[`${hex}-fe0f`], base, ...(LEGACY_NAMES[face.hexcode] ?? [])];
  if (face.kind === 'cat') names.push(base.replace(/\bcat\b/, 'cat-face'));
  if (face.hexcode === '1F916') names.push('robot-face');
  const withVariants = names.flatMap((name) => (name ? [name, `${name}-1`] : []));
  return [...new Set(withVariants)];
}

function iconSvg(set: IconifySet, name: string): string {
  const icon = set.icons[name];
  const width = icon.width ?? set.width ?? 16;
  const height = icon.height ?? set.height ?? 16;
  const left = icon.left ?? 0;
  const top = icon.top ?? 0;
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="${left} ${top} ${width} ${height}" width="${width}" height="${height}">${icon.body}</svg>`;
}

function resolveIconName(set: IconifySet, name: string): string | null {
  if (set.icons[name]) return name;
  const parent = set.aliases?.[name]?.parent;
  return parent && set.icons[parent] ? parent : null;
}

function iconifyDrawings(setName: string, faces: readonly Face[]): FaceDrawing[] {
  const set = requirePackageFile<IconifySet>(`@iconify-json/${setName}/icons.json`);
  const chars = requirePackageFile<Record<string, string>>(`@iconify-json/${setName}/chars.json`);
  const used = new Set<string>();
  const drawings: FaceDrawing[] = [];
  for (const face of faces) {
    const candidates = setName === 'fxemoji' ? [FXEMOJI_NAMES[face.hexcode]] : candidateNames(face, chars);
    const name = candidates.map((c) => (c ? resolveIconName(set, c) : null)).find((n): n is string => n !== null && !used.has(n));
    if (!name) continue;
    used.add(name); // one drawing never stands for two faces
    drawings.push({ face, sourceName: name, format: 'svg', load: () => Buffer.from(iconSvg(set, name)) });
  }
  return drawings;
}

function fluent3dDrawings(faces: readonly Face[]): FaceDrawing[] {
  const packageJson = resolvePackageFile('@lobehub/fluent-emoji-3d/package.json');
  const assets = join(dirname(packageJson), 'assets');
  const drawings: FaceDrawing[] = [];
  for (const face of faces) {
    const hex = face.hexcode.toLowerCase();
    const file = [`${hex}.webp`, `${hex}-fe0f.webp`, `${hex.replace(/-200d-/, '-fe0f-200d-')}.webp`].find((f) => existsSync(join(assets, f)));
    if (!file) continue;
    drawings.push({ face, sourceName: file, format: 'webp', load: () => readFileSync(join(assets, file)) });
  }
  return drawings;
}

/** Every face of `faces` that the style draws, in face order. */
export function drawingsForStyle(style: StyleSpec, faces: readonly Face[]): FaceDrawing[] {
  return style.source.kind === 'iconify' ? iconifyDrawings(style.source.set, faces) : fluent3dDrawings(faces);
}

/** Installed version of a style's npm package, for the dataset card. */
export function packageVersion(npmPackage: string): string {
  return requirePackageFile<{ version: string }>(`${npmPackage}/package.json`).version;
}
