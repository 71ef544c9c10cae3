import type { TemplateRef } from '../../model/manifest';
import { resizePng } from '../io/png';
import type { ModelFolder } from './write-files';

/** A template as the exporter receives it: its base pattern P as a 256 px opaque PNG. */
export interface TemplateSource {
  id: string;
  style: string;
  name: { zh: string; en: string };
  png256: Buffer;
}

const THUMBNAIL_SIZE = 96;

/** Writes the pattern P_i at each stage size and a thumbnail per template; returns the manifest entries. */
export async function writeTemplates(folder: ModelFolder, sources: TemplateSource[], sizes: number[]): Promise<TemplateRef[]> {
  const refs: TemplateRef[] = [];
  for (const t of sources) {
    const patterns: Record<string, string> = {};
    for (const size of sizes) patterns[String(size)] = folder.write(`templates/${t.id}_${size}.png`, await resizePng(t.png256, size));
    const thumbnail = folder.write(`templates/${t.id}_thumb.png`, await resizePng(t.png256, THUMBNAIL_SIZE));
    refs.push({ id: t.id, style: t.style, name: t.name, patterns, thumbnail });
  }
  return refs;
}
