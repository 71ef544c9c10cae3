/**
 * Text → token ids, shared by training, the exporter, the Node CLI and the worker.
 * The segmenter (jieba's `cut`) is injected so this file stays pure TypeScript.
 *
 * Out-of-vocabulary words fall back to their characters, and only then to UNK (issue 5).
 */
export const PAD_ID = 0;
export const UNK_ID = 1;
export const RESERVED_TOKENS = ['<pad>', '<unk>'] as const;

export type Segmenter = (text: string) => string[];

export interface TokenizerSettings {
  /** Longest token sequence the text encoder takes; longer input is cut (the UI says so). */
  maxTokens: number;
  /** Longest text in characters accepted before cutting. */
  maxChars: number;
  lowercase: boolean;
}

export type TokenSource = 'word' | 'char' | 'unk';

export interface Token {
  text: string;
  id: number;
  source: TokenSource;
}

export interface Tokenized {
  tokens: Token[];
  ids: Int32Array; // [maxTokens], PAD-padded
  mask: Float32Array; // [maxTokens], 1 for real tokens
  truncated: boolean;
}

export class EmptyTextError extends Error {
  override name = 'EmptyTextError';
  constructor() {
    super('The text is empty. Type a short phrase, for example 别说了我脸红了.');
  }
}

/** NFKC, trimmed, optional lowercase; collapses whitespace. */
export function normalizeText(text: string, s: Pick<TokenizerSettings, 'lowercase'>): string {
  const t = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  return s.lowercase ? t.toLowerCase() : t;
}

export class Vocabulary {
  private readonly index = new Map<string, number>();
  constructor(readonly words: readonly string[]) {
    words.forEach((w, i) => this.index.set(w, i));
    if (words[PAD_ID] !== RESERVED_TOKENS[0] || words[UNK_ID] !== RESERVED_TOKENS[1]) {
      throw new Error('A vocabulary must start with <pad>, <unk>.');
    }
  }
  get size(): number {
    return this.words.length;
  }
  id(word: string): number | undefined {
    return this.index.get(word);
  }
}

/** Token sequence for `text`: words, then characters of unknown words, then UNK. */
export function tokenize(text: string, cut: Segmenter, vocab: Vocabulary, s: TokenizerSettings): Tokenized {
  const normalized = normalizeText(text, s);
  if (!normalized) throw new EmptyTextError();
  const chars = Array.from(normalized);
  const clipped = chars.slice(0, s.maxChars).join('');
  const tokens: Token[] = [];
  for (const word of cut(clipped)) {
    if (!word.trim()) continue; // jieba keeps spaces as tokens
    tokens.push(...wordToTokens(word, vocab));
  }
  const truncated = chars.length > s.maxChars || tokens.length > s.maxTokens;
  const kept = tokens.slice(0, s.maxTokens);
  const ids = new Int32Array(s.maxTokens);
  const mask = new Float32Array(s.maxTokens);
  kept.forEach((t, i) => {
    ids[i] = t.id;
    mask[i] = 1;
  });
  return { tokens: kept, ids, mask, truncated };
}

function wordToTokens(word: string, vocab: Vocabulary): Token[] {
  const id = vocab.id(word);
  if (id !== undefined) return [{ text: word, id, source: 'word' }];
  return Array.from(word).map((ch) => {
    const cid = vocab.id(ch);
    return cid !== undefined ? { text: ch, id: cid, source: 'char' as const } : { text: ch, id: UNK_ID, source: 'unk' as const };
  });
}

/** Builds a vocabulary from training captions: every word and every character seen `minCount` times. */
export function buildVocabulary(captions: string[], cut: Segmenter, s: Pick<TokenizerSettings, 'lowercase'>, minCount = 1): Vocabulary {
  const counts = new Map<string, number>();
  const bump = (w: string) => counts.set(w, (counts.get(w) ?? 0) + 1);
  for (const c of captions) {
    for (const w of cut(normalizeText(c, s))) {
      if (!w.trim()) continue;
      bump(w);
      if (Array.from(w).length > 1) for (const ch of w) bump(ch);
    }
  }
  const words = [...counts].filter(([, n]) => n >= minCount).map(([w]) => w).sort();
  return new Vocabulary([...RESERVED_TOKENS, ...words]);
}
