// Caption candidates per face from the pinned CLDR annotations and emojibase, and from the
// vendored rime-emoji phrase table (Traditional Chinese, converted to Simplified with opencc-js).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js';
import { ReinstallDataPackagesError } from '../errors.js';
import { cldrKey, type Face } from '../faces.js';
import type { CaptionCandidate } from './types.js';

const require = createRequire(import.meta.url);

export const RIME_PHRASE_FILE = fileURLToPath(new URL('../vendor/rime-emoji/emoji_word.txt', import.meta.url));

interface CldrAnnotations { annotations: { annotations: Record<string, { default?: string[]; tts?: string[] }> } }
interface EmojibaseZh { hexcode: string; label: string; tags?: string[] }

function load<T>(specifier: string): T {
  try {
    return require(specifier) as T;
  } catch (error) {
    throw new ReinstallDataPackagesError(`Cannot load ${specifier}; run npm ci. (${String(error)})`);
  }
}

export interface FaceCaptions {
  zh: CaptionCandidate[];
  en: string[];
  /** CLDR zh name (tts), used when composing short keywords. */
  zhName: string;
}

/** Parses rime's "phrase<TAB>phrase emoji emoji" lines into emoji → Simplified phrases. */
export function parseRimePhrases(text: string): Map<string, string[]> {
  const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const byEmoji = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const [phrase, targets] = line.split('\t');
    if (!phrase || !targets) continue;
    const simplified = toSimplified(phrase.trim());
    for (const token of targets.trim().split(/\s+/).slice(1)) {
      const key = cldrKey(token);
      const list = byEmoji.get(key) ?? [];
      if (!list.includes(simplified)) list.push(simplified);
      byEmoji.set(key, list);
    }
  }
  return byEmoji;
}

let rimeCache: Map<string, string[]> | null = null;
function rimePhrases(): Map<string, string[]> {
  if (!rimeCache) {
    try {
      rimeCache = parseRimePhrases(readFileSync(RIME_PHRASE_FILE, 'utf8'));
    } catch (error) {
      throw new ReinstallDataPackagesError(`The vendored rime-emoji phrase file is missing; restore training/data/vendor/rime-emoji/. (${String(error)})`);
    }
  }
  return rimeCache;
}

/** All candidates for every face, de-duplicated per face (first source wins). */
export function captionsForFaces(faces: readonly Face[], includeRime: boolean): Map<string, FaceCaptions> {
  const zh = load<CldrAnnotations>('cldr-annotations-full/annotations/zh/annotations.json').annotations.annotations;
  const en = load<CldrAnnotations>('cldr-annotations-full/annotations/en/annotations.json').annotations.annotations;
  const emojibase = new Map(load<EmojibaseZh[]>('emojibase-data/zh/data.json').map((e) => [e.hexcode.replace(/-FE0F/g, ''), e]));
  const rime = includeRime ? rimePhrases() : new Map<string, string[]>();
  const result = new Map<string, FaceCaptions>();
  for (const face of faces) {
    const key = cldrKey(face.emoji);
    const candidates: CaptionCandidate[] = [];
    const add = (text: string | undefined, source: CaptionCandidate['source']): void => {
      const clean = text?.trim();
      if (clean && !candidates.some((c) => c.text === clean)) candidates.push({ text: clean, source, composed: false });
    };
    const zhName = zh[key]?.tts?.[0] ?? emojibase.get(face.hexcode)?.label ?? '';
    add(zhName, 'cldr-name');
    for (const keyword of zh[key]?.default ?? []) add(keyword, 'cldr-keyword');
    const base = emojibase.get(face.hexcode);
    add(base?.label, 'emojibase');
    for (const tag of base?.tags ?? []) add(tag, 'emojibase');
    for (const phrase of rime.get(key) ?? []) add(phrase, 'rime');
    const english = [...new Set([...(en[key]?.tts ?? []), ...(en[key]?.default ?? [])].map((s) => s.trim()).filter(Boolean))];
    result.set(face.hexcode, { zh: candidates, en: english, zhName });
  }
  return result;
}
