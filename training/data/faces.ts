// The faces of the corpus: Unicode group "Smileys & Emotion", subgroups face-*, cat-face and
// monkey-face, as listed by the pinned emojibase-data. The hexcode (e.g. 1F600) is the
// "expression" id shared by every style.
import { createRequire } from 'node:module';
import { ReinstallDataPackagesError } from './errors.js';

const require = createRequire(import.meta.url);

export type FaceKind = 'face' | 'cat' | 'monkey' | 'costume';

export interface Face {
  /** Upper-case hexcode without FE0F, e.g. "1F600" or "1F636-200D-1F32B". */
  hexcode: string;
  emoji: string;
  /** CLDR English name, e.g. "grinning face". */
  label: string;
  subgroup: string;
  kind: FaceKind;
  /** Order in the Unicode emoji list; used for stable sorting. */
  order: number;
}

interface EmojibaseEntry {
  label: string;
  hexcode: string;
  emoji: string;
  group?: number;
  subgroup?: number;
  order?: number;
}

interface EmojibaseMessages {
  subgroups: { key: string; order: number }[];
}

function kindOf(subgroup: string): FaceKind {
  if (subgroup === 'cat-face') return 'cat';
  if (subgroup === 'monkey-face') return 'monkey';
  if (subgroup === 'face-costume') return 'costume';
  return 'face';
}

function loadEmojibase(): { data: EmojibaseEntry[]; messages: EmojibaseMessages } {
  try {
    return {
      data: require('emojibase-data/en/data.json') as EmojibaseEntry[],
      messages: require('emojibase-data/en/messages.json') as EmojibaseMessages,
    };
  } catch (error) {
    throw new ReinstallDataPackagesError(`emojibase-data is missing; run npm ci. (${String(error)})`);
  }
}

let cachedFaces: Face[] | null = null;

/** All face emoji in Unicode order (131 at Emoji 17). */
export function listFaces(): Face[] {
  if (cachedFaces) return cachedFaces;
  const { data, messages } = loadEmojibase();
  const subgroupKey = new Map(messages.subgroups.map((s) => [s.order, s.key]));
  cachedFaces = data
    .filter((entry) => entry.group === 0)
    .map((entry) => ({ entry, subgroup: subgroupKey.get(entry.subgroup ?? -1) ?? '' }))
    .filter(({ subgroup }) => subgroup.startsWith('face-') || subgroup === 'cat-face' || subgroup === 'monkey-face')
    .map(({ entry, subgroup }) => ({
      hexcode: entry.hexcode.replace(/-FE0F/g, ''),
      emoji: entry.emoji,
      label: entry.label,
      subgroup,
      kind: kindOf(subgroup),
      order: entry.order ?? 0,
    }))
    .sort((a, b) => a.order - b.order);
  return cachedFaces;
}

/** The emoji string without variation selectors, as CLDR keys it. */
export function cldrKey(emoji: string): string {
  return emoji.replace(/\uFE0F/g, '');
}
