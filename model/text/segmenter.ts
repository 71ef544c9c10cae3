import type { Segmenter } from './tokenizer';

/** The parts of jieba-wasm we use; Node and the worker each pass their own import of it. */
export interface JiebaModule {
  cut(text: string, hmm?: boolean | null): string[];
  add_word(word: string, freq?: number | null, tag?: string | null): number;
}

// jieba keeps one global dictionary per wasm instance: add each word once per instance.
const addedWords = new WeakMap<JiebaModule, Set<string>>();

/** jieba `cut` (HMM on) with the model's user dictionary of meme slang added. */
export function createSegmenter(jieba: JiebaModule, userDictionary: readonly string[]): Segmenter {
  let added = addedWords.get(jieba);
  if (!added) addedWords.set(jieba, (added = new Set()));
  for (const w of userDictionary) {
    if (added.has(w)) continue;
    jieba.add_word(w);
    added.add(w);
  }
  return (text) => jieba.cut(text, true);
}
