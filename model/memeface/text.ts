import type { Ops, Params } from '../ops/types';
import { dense } from '../layers';
import type { MemeFaceConfig } from './config';

/**
 * AttnGAN's text encoder (the DAMSM text encoder, shared with the generator):
 * word embedding and a bi-LSTM unrolled over `maxTokens` positions with masking.
 * Outputs word features e [B, L, D] (zero at padding) and the sentence vector ĉ [B, D]
 * (last forward state ‖ first backward state), paper §3 / AttnGAN §3.1.
 */
export interface TextFeatures<T> {
  words: T; // [B, L, D]
  sentence: T; // [B, D]
}

/** One LSTM step (gates i, f, g, o). x: [B, E], h, c: [B, H], m: [B, 1] → new (h, c); masked steps keep the state. */
function lstmStep<T>(o: Ops<T>, wx: T, wh: T, b: T, x: T, h: T, c: T, m: T, hidden: number): { h: T; c: T } {
  const gates = o.biasAdd(o.add(o.matMul(x, wx), o.matMul(h, wh)), b); // [B, 4H]
  const gate = (k: number) => o.slice(gates, [0, k * hidden], [-1, hidden]); // [B, H]
  const i = o.sigmoid(gate(0));
  const f = o.sigmoid(gate(1));
  const g = o.tanh(gate(2));
  const out = o.sigmoid(gate(3));
  const c1 = o.add(o.mul(f, c), o.mul(i, g)); // [B, H]
  const h1 = o.mul(out, o.tanh(c1)); // [B, H]
  const keep = o.sub(o.scalar(1), m); // [B, 1]
  return { h: o.add(o.mul(m, h1), o.mul(keep, h)), c: o.add(o.mul(m, c1), o.mul(keep, c)) };
}

export function textEncoder<T>(o: Ops<T>, p: Params<T>, cfg: MemeFaceConfig, tokenIds: T, tokenMask: T): TextFeatures<T> {
  const L = cfg.maxTokens;
  const E = cfg.wordDim;
  const H = cfg.textDim / 2;
  const table = p.get('text/embed', [cfg.vocabSize, E], { kind: 'uniform', limit: 0.1 });
  const emb = o.gather(table, tokenIds); // [B, L, E]
  const lim = 1 / Math.sqrt(H);
  const weights = (dir: string) => ({
    wx: p.get(`text/lstm_${dir}/wx`, [E, 4 * H], { kind: 'uniform', limit: lim }),
    wh: p.get(`text/lstm_${dir}/wh`, [H, 4 * H], { kind: 'uniform', limit: lim }),
    b: p.get(`text/lstm_${dir}/b`, [4 * H], { kind: 'zeros' }),
  });
  const fw = weights('fw');
  const bw = weights('bw');
  const xs: T[] = [];
  const ms: T[] = [];
  for (let t = 0; t < L; t++) {
    xs.push(o.reshape(o.slice(emb, [0, t, 0], [-1, 1, E]), [-1, E])); // [B, E]
    ms.push(o.slice(tokenMask, [0, t], [-1, 1])); // [B, 1]
  }
  // Zero initial state [B, H], built from the input so the batch size stays dynamic.
  const zero = o.matMul(ms[0], o.mul(o.slice(fw.wh, [0, 0], [1, H]), o.scalar(0))); // [B, H]
  const hf: T[] = [];
  let s = { h: zero, c: zero };
  for (let t = 0; t < L; t++) {
    s = lstmStep(o, fw.wx, fw.wh, fw.b, xs[t], s.h, s.c, ms[t], H);
    hf.push(s.h);
  }
  const lastForward = s.h; // [B, H]: state after the last real token
  const hb: T[] = new Array(L);
  s = { h: zero, c: zero };
  for (let t = L - 1; t >= 0; t--) {
    s = lstmStep(o, bw.wx, bw.wh, bw.b, xs[t], s.h, s.c, ms[t], H);
    hb[t] = s.h;
  }
  const firstBackward = s.h; // [B, H]
  const steps = hf.map((h, t) => o.reshape(o.mul(o.concat([h, hb[t]], 1), ms[t]), [-1, 1, 2 * H])); // L × [B, 1, D]
  const words = o.concat(steps, 1); // [B, L, D]
  const sentence = o.concat([lastForward, firstBackward], 1); // [B, D]
  return { words, sentence };
}

/**
 * Conditioning Augmentation F^ca (paper §3, AttnGAN eq. 3): μ, log σ² = FC(ĉ); c = μ + σ ⊙ ε.
 * ε is the noise's first caDim entries, so inference is reproducible per seed.
 */
export function conditioningAugmentation<T>(o: Ops<T>, p: Params<T>, cfg: MemeFaceConfig, sentence: T, noise: T): { c: T; mu: T; logvar: T } {
  const k = cfg.caDim;
  const stats = dense(o, p, 'gen/ca/fc', sentence, 2 * k); // [B, 2k]
  const mu = o.slice(stats, [0, 0], [-1, k]); // [B, k]
  const logvar = o.slice(stats, [0, k], [-1, k]); // [B, k]
  const eps = o.slice(noise, [0, 0], [-1, k]); // [B, k]
  const c = o.add(mu, o.mul(o.exp(o.mul(logvar, o.scalar(0.5))), eps)); // [B, k]
  return { c, mu, logvar };
}
