// Character n-gram language model with add-k smoothing, interpolated across orders so short,
// sparse caption data still gives finite, comparable perplexities.

const BOS = '\u0002';
const EOS = '\u0003';

function symbols(text: string, order: number): string[] {
  return [...new Array<string>(Math.max(0, order - 1)).fill(BOS), ...Array.from(text.replace(/\s+/g, '')), EOS];
}

export class CharNgramModel {
  /** counts[n] maps "history\u0000char" and "history" to counts for n-grams of length n + 1. */
  private readonly gramCounts: Map<string, number>[] = [];
  private readonly historyCounts: Map<string, number>[] = [];
  private readonly vocabulary = new Set<string>();

  constructor(readonly order: number, readonly addK: number) {
    for (let n = 0; n < order; n++) {
      this.gramCounts.push(new Map());
      this.historyCounts.push(new Map());
    }
  }

  /** Interpolation weights: higher orders weigh more (halving per order down). */
  private weights(): number[] {
    const raw = Array.from({ length: this.order }, (_, n) => 2 ** n);
    const total = raw.reduce((s, v) => s + v, 0);
    return raw.map((w) => w / total);
  }

  private *events(text: string): Generator<{ n: number; history: string; symbol: string }> {
    const seq = symbols(text, this.order);
    for (let i = this.order - 1; i < seq.length; i++) {
      for (let n = 0; n < this.order; n++) {
        yield { n, history: seq.slice(i - n, i).join(''), symbol: seq[i] };
      }
    }
  }

  train(texts: readonly string[]): void {
    for (const text of texts) {
      for (const symbol of symbols(text, 1)) this.vocabulary.add(symbol);
      for (const { n, history, symbol } of this.events(text)) {
        const gram = `${history}\u0000${symbol}`;
        this.gramCounts[n].set(gram, (this.gramCounts[n].get(gram) ?? 0) + 1);
        this.historyCounts[n].set(history, (this.historyCounts[n].get(history) ?? 0) + 1);
      }
    }
  }

  /**
   * Per-symbol perplexity. With leaveOneOut the text's own counts are subtracted first (the text
   * must have been in the training set), so a caption is judged by the other captions only.
   */
  perplexity(text: string, options: { leaveOneOut?: boolean } = {}): number {
    const own = new Map<string, number>();
    if (options.leaveOneOut) {
      for (const { n, history, symbol } of this.events(text)) {
        own.set(`${n}|${history}\u0000${symbol}`, (own.get(`${n}|${history}\u0000${symbol}`) ?? 0) + 1);
        own.set(`${n}|${history}`, (own.get(`${n}|${history}`) ?? 0) + 1);
      }
    }
    const v = this.vocabulary.size + 1; // +1 for unseen characters
    const weights = this.weights();
    let logSum = 0, steps = 0;
    for (const { n, history, symbol } of this.eventsByPosition(text)) {
      // Interpolate only the orders whose history was seen (after leave-one-out), renormalising the
      // weights: an unseen history would otherwise give a generous uniform 1/V.
      let p = 0, usedWeight = 0;
      for (let m = 0; m <= n; m++) {
        const h = history.slice(history.length - m);
        const hist = Math.max(0, (this.historyCounts[m].get(h) ?? 0) - (own.get(`${m}|${h}`) ?? 0));
        if (m > 0 && hist === 0) continue;
        const gram = Math.max(0, (this.gramCounts[m].get(`${h}\u0000${symbol}`) ?? 0) - (own.get(`${m}|${h}\u0000${symbol}`) ?? 0));
        p += weights[m] * ((gram + this.addK) / (hist + this.addK * v));
        usedWeight += weights[m];
      }
      p /= usedWeight;
      logSum += Math.log(p);
      steps++;
    }
    return Math.exp(-logSum / Math.max(1, steps));
  }

  /** One event per position with the full (order − 1) history. */
  private *eventsByPosition(text: string): Generator<{ n: number; history: string; symbol: string }> {
    const seq = symbols(text, this.order);
    for (let i = this.order - 1; i < seq.length; i++) {
      yield { n: this.order - 1, history: seq.slice(i - this.order + 1, i).join(''), symbol: seq[i] };
    }
  }
}
