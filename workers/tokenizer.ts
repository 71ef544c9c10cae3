import init, * as jieba from 'jieba-wasm';
import { createSegmenter } from '../model/text/segmenter';
import { Vocabulary, tokenize, type Segmenter, type TokenizerSettings, type Tokenized } from '../model/text/tokenizer';

let ready: Promise<unknown> | undefined;

/** jieba-wasm initialised once per worker (Vite emits its wasm next to the worker chunk). */
export async function loadTokenizer(vocabWords: string[], userDictionary: string[], settings: TokenizerSettings) {
  ready ??= init();
  await ready;
  const segment: Segmenter = createSegmenter(jieba, userDictionary);
  const vocab = new Vocabulary(vocabWords);
  return { tokenize: (text: string): Tokenized => tokenize(text, segment, vocab, settings) };
}
