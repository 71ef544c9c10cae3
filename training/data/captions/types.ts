export type CaptionSource = 'cldr-name' | 'cldr-keyword' | 'emojibase' | 'rime' | 'composed' | 'user';

/** A Chinese caption candidate for one expression. */
export interface CaptionCandidate {
  text: string;
  source: CaptionSource;
  /** True when the caption was built by joining shorter captions (see length.ts). */
  composed: boolean;
  /** The captions it was composed from, in order. */
  parts?: string[];
}

/** Characters as the paper counts them: code points, whitespace ignored. */
export function captionLength(text: string): number {
  return Array.from(text.replace(/\s+/g, '')).length;
}
