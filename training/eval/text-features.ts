/**
 * Caption features for the evaluator and the retrieval baseline: Chinese character unigrams and
 * bigrams (English words for English text). Characters carry most of a short Chinese caption's
 * meaning, need no segmenter (so the evaluator stays independent of the model's tokenizer) and
 * make a vocabulary of a few thousand entries.
 */
export function normaliseCaption(text: string): string {
  return text.normalize('NFKC').toLowerCase().trim();
}

export function captionNgrams(text: string): string[] {
  const t = normaliseCaption(text);
  if (/^[\x20-\x7e]*$/.test(t)) return t.split(/[^a-z0-9']+/).filter(Boolean);
  const chars = Array.from(t).filter((c) => c.trim() !== '');
  const grams = [...chars];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(chars[i] + chars[i + 1]);
  return grams;
}

/** n-gram → column, built from training captions only; unseen n-grams are dropped. */
export class NgramVocabulary {
  private readonly index: Map<string, number>;
  constructor(readonly grams: readonly string[]) {
    this.index = new Map(grams.map((g, i) => [g, i]));
  }

  static fromCaptions(captions: readonly string[], minCount: number): NgramVocabulary {
    // Counted over distinct captions: the same caption recurs on every style of an expression.
    const counts = new Map<string, number>();
    for (const c of new Set(captions.map(normaliseCaption))) for (const g of new Set(captionNgrams(c))) counts.set(g, (counts.get(g) ?? 0) + 1);
    const kept = [...counts].filter(([, n]) => n >= minCount).map(([g]) => g).sort();
    return new NgramVocabulary(kept);
  }

  get size(): number {
    return this.grams.length;
  }

  columnsOf(text: string): number[] {
    return [...new Set(captionNgrams(text))].map((g) => this.index.get(g)).filter((i): i is number => i !== undefined);
  }

  /** L2-normalised multi-hot vector. [V] */
  bag(text: string): Float32Array {
    const v = new Float32Array(this.size);
    const cols = this.columnsOf(text);
    for (const c of cols) v[c] = 1 / Math.sqrt(cols.length);
    return v;
  }
}

/** TF-IDF cosine over caption n-grams: the retrieval baseline's text similarity, no learning. */
export class TfIdfIndex {
  private readonly idf: Map<string, number>;
  constructor(documents: readonly string[]) {
    const df = new Map<string, number>();
    for (const d of documents) for (const g of new Set(captionNgrams(d))) df.set(g, (df.get(g) ?? 0) + 1);
    this.idf = new Map([...df].map(([g, n]) => [g, Math.log((1 + documents.length) / (1 + n)) + 1]));
  }

  vector(text: string): Map<string, number> {
    const tf = new Map<string, number>();
    for (const g of captionNgrams(text)) tf.set(g, (tf.get(g) ?? 0) + 1);
    const v = new Map<string, number>();
    let norm = 0;
    for (const [g, n] of tf) {
      const w = n * (this.idf.get(g) ?? 0);
      if (w > 0) v.set(g, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [g, w] of v) v.set(g, w / norm);
    return v;
  }

  static cosine(a: Map<string, number>, b: Map<string, number>): number {
    let s = 0;
    for (const [g, w] of a) s += w * (b.get(g) ?? 0);
    return s;
  }
}
