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

export const PATTERN_SIZES = [64, 128, 256] as const;
const THUMBNAIL_SIZE = 96;

/** Writes P_0..P_2 and a thumbnail per template; returns the manifest entries. */
export async function writeTemplates(folder: ModelFolder, sources: TemplateSource[]): Promise<TemplateRef[]> {
  const refs: TemplateRef[] = [];
  for (const t of sources) {
    const patterns: Record<string, string> = {};
    for (const size of PATTERN_SIZES) {
      const png = size === 256 ? await resizePng(t.png256, 256) : await resizePng(t.png256, size);
      patterns[String(size)] = folder.write(`templates/${t.id}_${size}.png`, png);
    }
    const thumbnail = folder.write(`templates/${t.id}_thumb.png`, await resizePng(t.png256, THUMBNAIL_SIZE));
    refs.push({ id: t.id, style: t.style, name: t.name, patterns, thumbnail });
  }
  return refs;
}
