import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { eagerOps as o, VariableStore } from '../../../model/ops/eager';
import { GraphBuilder, GraphParams, createGraphOps } from '../../../model/ops/graph';
import { textEncoder, conditioningAugmentation } from '../../../model/memeface/text';
import { colourGate, editingComponent, paletteBlend, relativeColour, sharpenedLogit, snapMonochrome, stage0Features, stageFeatures, templateFill, templateInk, wordAttention } from '../../../model/memeface/generator';
import { discriminator } from '../../../model/memeface/discriminator';
import { damsmImageEncoder, sentenceMatchScores, wordMatchScores } from '../../../model/memeface/damsm';
import { coarseFromBelow, memeFaceArchitecture, memeFaceArchitectureFor } from '../../../model/memeface/architecture';
import { downsampleTo } from '../../../model/layers';
import { BLENDS, checkMemeFaceConfig, EDIT_MASK_BLENDS, MemeFaceConfigError, type MemeFaceConfig } from '../../../model/memeface/config';
import { getArchitecture, resolveArchitecture } from '../../../model/registry';
import { runArchitecture } from '../../../model/architecture';
import { DEFAULT_CONFIG, modelConfig } from '../../../training/train/config';
import { generatorBudget } from '../../../training/train/budget';
import { backend, tinyConfig } from '../train/helpers';

const B = 3;
let cfg: MemeFaceConfig;
let store: VariableStore;

function tokens(lengths: number[]): { ids: tf.Tensor2D; mask: tf.Tensor2D } {
  const l = cfg.maxTokens;
  const ids = new Int32Array(lengths.length * l);
  const mask = new Float32Array(lengths.length * l);
  lengths.forEach((n, b) => {
    for (let t = 0; t < n; t++) {
      ids[b * l + t] = 2 + ((b * 7 + t * 3) % (cfg.vocabSize - 2));
      mask[b * l + t] = 1;
    }
  });
  return { ids: tf.tensor2d(ids, [lengths.length, l], 'int32'), mask: tf.tensor2d(mask, [lengths.length, l]) };
}

/**
 * G'_0 ('mask-shade') on a patch with a shade-target switch on, reading the targets from the whole
 * template, then from the patch itself, then with the switch off. Each image is [1, S, S, 3].
 */
function shadedPatch(seed: number, key: 'shadeInk' | 'shadeFill', patch: tf.Tensor4D, whole: tf.Tensor4D) {
  const s0 = cfg.imageSizes[0];
  const shadeStore = new VariableStore(seed);
  const xhat = tf.randomNormal([1, s0, s0, cfg.channels[0]], 0, 1, 'float32', 5);
  const on: MemeFaceConfig = { ...cfg, blend: 'mask-shade', [key]: true };
  const edit = (c: MemeFaceConfig, w?: tf.Tensor4D) => editingComponent(o, shadeStore, c, 0, patch, xhat, w).image as tf.Tensor4D;
  return { shadeStore, fromWhole: edit(on, whole), fromPatch: edit(on), off: edit({ ...on, [key]: false }) };
}

/** The largest absolute difference between two tensors. */
function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

describe('MemeFaceGenerator blocks: shapes (tiny-test config, eager)', () => {
  beforeAll(async () => {
    await backend();
    cfg = modelConfig(tinyConfig(), 40);
    store = new VariableStore(11);
  });
  afterAll(() => store.dispose());

  it('text encoder: words [B, L, D] zero at padding, sentence [B, D]; padding ids do not matter', () => {
    tf.tidy(() => {
      const { ids, mask } = tokens([2, 4, 6]);
      const t = textEncoder(o, store, cfg, ids, mask);
      expect(t.words.shape).toEqual([B, cfg.maxTokens, cfg.textDim]);
      expect(t.sentence.shape).toEqual([B, cfg.textDim]);
      const w = t.words.arraySync() as number[][][];
      expect(w[0][3].every((v) => v === 0)).toBe(true); // padded position
      expect(w[0][1].some((v) => v !== 0)).toBe(true);
      // Change the ids at padded positions: nothing changes (the bi-LSTM is masked both ways).
      const ids2 = ids.arraySync() as number[][];
      ids2[0][4] = 5;
      ids2[1][5] = 9;
      const t2 = textEncoder(o, store, cfg, tf.tensor2d(ids2, ids.shape, 'int32'), mask);
      expect(tf.max(tf.abs(tf.sub(t2.sentence, t.sentence))).dataSync()[0]).toBe(0);
      expect(tf.max(tf.abs(tf.sub(t2.words, t.words))).dataSync()[0]).toBe(0);
    });
  });

  it('conditioning augmentation: c, μ, log σ² [B, caDim]; ε is the noise head', () => {
    tf.tidy(() => {
      const s = tf.randomNormal([B, cfg.textDim], 0, 1, 'float32', 1);
      const zeros = tf.zeros([B, cfg.zDim]);
      const r = conditioningAugmentation(o, store, cfg, s, zeros);
      for (const x of [r.c, r.mu, r.logvar]) expect(x.shape).toEqual([B, cfg.caDim]);
      expect(tf.max(tf.abs(tf.sub(r.c, r.mu))).dataSync()[0]).toBe(0); // ε = 0 → c = μ
    });
  });

  it('G_0 gives x̂_0 [B, S0, S0, C0]; attention sums to 1 over real words and 0 at padding', () => {
    tf.tidy(() => {
      const s0 = cfg.imageSizes[0];
      const sent = tf.randomNormal([B, cfg.textDim], 0, 1, 'float32', 2);
      const h0 = stage0Features(o, store, cfg, sent, tf.randomNormal([B, cfg.zDim], 0, 1, 'float32', 3)).h;
      expect(h0.shape).toEqual([B, s0, s0, cfg.channels[0]]);
      const { ids, mask } = tokens([1, 3, 6]);
      const t = textEncoder(o, store, cfg, ids, mask);
      const a = wordAttention(o, store, 'gen/s1/attn', h0, t.words, mask);
      expect(a.context.shape).toEqual([B, s0, s0, cfg.channels[0]]);
      expect(a.attn.shape).toEqual([B, s0 * s0, cfg.maxTokens]);
      const attn = a.attn.arraySync() as number[][][];
      expect(attn[0][5].reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
      expect(attn[0][5][1]).toBeLessThan(1e-6); // padding gets no attention
      const st = stageFeatures(o, store, cfg, 1, h0, t.words, mask, t.sentence);
      expect(st.h.shape).toEqual([B, 2 * s0, 2 * s0, cfg.channels[1]]);
      expect(st.attn.shape).toEqual([B, 4 * s0 * s0, cfg.maxTokens]);
    });
  });

  it('stage0Film: the sentence reaches x̂_0 directly (same noise, different sentence → different x̂_0)', () => {
    const filmCfg = { ...cfg, stage0Film: true };
    const filmStore = store; // tf variable names are global: the FiLM weights join the shared store
    {
      const diff = tf.tidy(() => {
        const noise = tf.tile(tf.randomNormal([1, cfg.zDim], 0, 1, 'float32', 4), [2, 1]); // [2, Z], one noise twice
        const sentence = tf.randomNormal([2, cfg.textDim], 0, 1, 'float32', 5); // two different sentences
        const h = stage0Features(o, filmStore, filmCfg, sentence, noise).h; // [2, S0, S0, C0]
        expect(h.shape).toEqual([2, cfg.imageSizes[0], cfg.imageSizes[0], cfg.channels[0]]);
        return tf.max(tf.abs(tf.sub(tf.slice(h, [0], [1]), tf.slice(h, [1], [1]))));
      });
      expect(diff.dataSync()[0]).toBeGreaterThan(1e-3);
      expect([...filmStore.vars.keys()].filter((n) => n.startsWith('gen/s0/film')).length).toBe(4 * Math.log2(cfg.imageSizes[0] / 4)); // γ and β (w, b) per level
      diff.dispose();
    }
  });

  it('stage0Template: x̂_0 starts as plain G_0 (zero heads), then the template reaches it (same text and noise, other template → other x̂_0)', () => {
    const tmplCfg = { ...cfg, stage0Template: true };
    const s0 = cfg.imageSizes[0];
    const gap = () =>
      tf.tidy(() => {
        const noise = tf.tile(tf.randomNormal([1, cfg.zDim], 0, 1, 'float32', 6), [2, 1]); // [2, Z], one noise twice
        const sentence = tf.tile(tf.randomNormal([1, cfg.textDim], 0, 1, 'float32', 7), [2, 1]); // one sentence twice
        const template = tf.randomUniform([2, s0, s0, 3], -1, 1, 'float32', 8); // two templates
        const h = stage0Features(o, store, tmplCfg, sentence, noise, template).h; // [2, S0, S0, C0]
        expect(h.shape).toEqual([2, s0, s0, cfg.channels[0]]);
        return tf.max(tf.abs(tf.sub(tf.slice(h, [0], [1]), tf.slice(h, [1], [1])))).dataSync()[0];
      });
    expect(gap()).toBe(0);
    const heads = [...store.vars.keys()].filter((n) => /^gen\/s0\/tmpl\d+\/(gamma|beta)\/w$/.test(n));
    expect(heads.length).toBe(2 * Math.log2(s0 / 4)); // γ and β per up-sampling level
    for (const n of heads) {
      const v = store.vars.get(n)!;
      v.assign(tf.randomNormal(v.shape, 0, 0.1, 'float32', 9));
    }
    expect(gap()).toBeGreaterThan(1e-3);
    expect(() => stage0Features(o, store, tmplCfg, tf.zeros([1, cfg.textDim]), tf.zeros([1, cfg.zDim]))).toThrow(/stage0Template needs the template/);
  });

  it("editing component G'_i: x̄_i [B, S, S, 3] in [-1, 1]; blend 'mask' stays close to the template at init", () => {
    tf.tidy(() => {
      cfg.imageSizes.forEach((s, i) => {
        const tmpl = tf.sub(tf.mul(tf.randomUniform([B, s, s, 3], 0, 1, 'float32', 4), 2), 1);
        const xhat = tf.randomNormal([B, s, s, cfg.channels[i]], 0, 1, 'float32', 5);
        const out = editingComponent(o, store, cfg, i, tmpl, xhat).image;
        expect(out.shape).toEqual([B, s, s, 3]);
        expect(tf.max(tf.abs(out)).dataSync()[0]).toBeLessThanOrEqual(1 + 1e-6);
        expect(tf.mean(tf.abs(tf.sub(out, tmpl))).dataSync()[0]).toBeLessThan(0.5);
        store.dispose(); // tfjs variable names are global: one store at a time (it refills lazily)
        const res = new VariableStore(14);
        const residual = editingComponent(o, res, { ...cfg, blend: 'residual' }, i, tmpl, xhat).image;
        expect(residual.shape).toEqual([B, s, s, 3]);
        expect(tf.max(tf.abs(residual)).dataSync()[0]).toBeLessThanOrEqual(1);
        res.dispose();
        const other = new VariableStore(12);
        const plain = editingComponent(o, other, { ...cfg, blend: 'none', templateSkip: false }, i, tmpl, xhat).image;
        expect(plain.shape).toEqual([B, s, s, 3]);
        other.dispose();
      });
    });
  });

  it("blend 'mask-relative': s = 0 keeps P, s = ±1 gives white or black, and rgb never leaves [-1, 1]", () => {
    tf.tidy(() => {
      const p = tf.tensor4d([1, 0.8, -0.6, 1, 1, 1, -1, -1, -1, 0, 0.5, -0.5], [1, 2, 2, 3]); // yellow, white, black, grey
      const at = (v: number) => Array.from(relativeColour(o, p, tf.fill([1, 2, 2, 3], v)).dataSync());
      at(0).forEach((v, k) => expect(v).toBeCloseTo(p.dataSync()[k], 6));
      at(1).forEach((v) => expect(v).toBeCloseTo(1, 6));
      at(-1).forEach((v) => expect(v).toBeCloseTo(-1, 6));
      // Halfway to black: the same s darkens yellow to brown and white to mid-grey.
      const half = at(-0.5);
      [0, -0.1, -0.8].forEach((v, c) => expect(half[c]).toBeCloseTo(v, 6));
      [0, 0, 0].forEach((v, c) => expect(half[3 + c]).toBeCloseTo(v, 6));
      const s = tf.sub(tf.mul(tf.randomUniform([1, 2, 2, 3], 0, 1, 'float32', 9), 2), 1);
      expect(tf.max(tf.abs(relativeColour(o, p, s))).dataSync()[0]).toBeLessThanOrEqual(1 + 1e-6);
      store.dispose(); // tfjs variable names are global: one store at a time (it refills lazily)
      const store2 = new VariableStore(15);
      const out = editingComponent(o, store2, { ...cfg, blend: 'mask-relative' }, 0, tf.zeros([B, cfg.imageSizes[0], cfg.imageSizes[0], 3]), tf.randomNormal([B, cfg.imageSizes[0], cfg.imageSizes[0], cfg.channels[0]], 0, 1, 'float32', 5)).image;
      expect(out.shape).toEqual([B, cfg.imageSizes[0], cfg.imageSizes[0], 3]);
      store2.dispose();
    });
  });

  it("blend 'mask-shade': one s for all channels keeps the hue: white only greys, yellow only darkens or pales", () => {
    tf.tidy(() => {
      const p = tf.tensor4d([1, 0.8, -0.6, 1, 1, 1], [1, 1, 2, 3]); // yellow, white
      const shade = (v: number) => Array.from(relativeColour(o, p, tf.fill([1, 1, 2, 1], v)).dataSync());
      const dark = shade(-0.5);
      [0, -0.1, -0.8].forEach((v, c) => expect(dark[c]).toBeCloseTo(v, 6));
      [0, 0, 0].forEach((v, c) => expect(dark[3 + c]).toBeCloseTo(v, 6)); // white → mid-grey, never a colour
      for (const v of [-0.9, -0.3, 0.4, 0.9]) {
        const w = shade(v).slice(3);
        expect(Math.max(...w) - Math.min(...w)).toBeLessThan(1e-6);
      }
      store.dispose(); // tfjs variable names are global: one store at a time (it refills lazily)
      const store3 = new VariableStore(16);
      const s0 = cfg.imageSizes[0];
      const out = editingComponent(o, store3, { ...cfg, blend: 'mask-shade' }, 0, tf.ones([B, s0, s0, 3]), tf.randomNormal([B, s0, s0, cfg.channels[0]], 0, 1, 'float32', 5)).image;
      // On an all-white template every output pixel is a grey: R = G = B.
      const d = out.dataSync();
      for (let k = 0; k < d.length; k += 3) expect(Math.abs(d[k] - d[k + 1]) + Math.abs(d[k] - d[k + 2])).toBeLessThan(1e-5);
      store3.dispose();
    });
  });

  it("blend 'mask-shade-colour': the colour gate is shut on grey templates, open on coloured ones; the colour mask comes out", () => {
    tf.tidy(() => {
      const s0 = cfg.imageSizes[0];
      const grey = tf.tile(tf.tensor4d([0.3, 0.3, 0.3], [1, 1, 1, 3]), [1, s0, s0, 1]); // [1, S, S, 3]
      const yellow = tf.tile(tf.tensor4d([1, 0.8, -0.6], [1, 1, 1, 3]), [1, s0, s0, 1]);
      const tmpl = tf.concat([grey, yellow], 0); // [2, S, S, 3]
      const gate = Array.from(colourGate(o, tmpl).dataSync());
      expect(gate[0]).toBeCloseTo(0, 6);
      expect(gate[1]).toBeGreaterThan(0.99);
      store.dispose(); // tfjs variable names are global: one store at a time (it refills lazily)
      const store4 = new VariableStore(17);
      const xhat = tf.randomNormal([2, s0, s0, cfg.channels[0]], 0, 1, 'float32', 5);
      const out = editingComponent(o, store4, { ...cfg, blend: 'mask-shade-colour' }, 0, tmpl, xhat);
      expect(out.image.shape).toEqual([2, s0, s0, 3]);
      expect(tf.max(tf.abs(out.image)).dataSync()[0]).toBeLessThanOrEqual(1 + 1e-6);
      const mask = out.colourMask!; // [2, S, S, 1]
      expect(mask.shape).toEqual([2, s0, s0, 1]);
      expect(tf.max(tf.slice(mask, [0, 0, 0, 0], [1, -1, -1, -1])).dataSync()[0]).toBeLessThan(1e-6); // grey: no free colour
      expect(tf.min(tf.slice(mask, [1, 0, 0, 0], [1, -1, -1, -1])).dataSync()[0]).toBeGreaterThan(0); // yellow: some
      // On the grey template the edit is a shade of grey: R = G = B everywhere.
      const d = tf.slice(out.image, [0, 0, 0, 0], [1, -1, -1, -1]).dataSync();
      for (let k = 0; k < d.length; k += 3) expect(Math.abs(d[k] - d[k + 1]) + Math.abs(d[k] - d[k + 2])).toBeLessThan(1e-5);
      expect(editingComponent(o, store4, { ...cfg, blend: 'mask-shade' }, 0, tmpl, xhat).colourMask).toBeUndefined();
      store4.dispose();
    });
  });

  it('colourGateWhole: the colour gate reads the whole template, so a white patch of a yellow face may still draw in colour', () => {
    tf.tidy(() => {
      const s0 = cfg.imageSizes[0];
      const patch = tf.ones([1, s0, s0, 3]) as tf.Tensor4D; // the white corner of the face: no chroma
      const face = tf.tile(tf.tensor4d([1, 0.8, -0.6], [1, 1, 1, 3]), [1, s0, s0, 1]) as tf.Tensor4D;
      store.dispose(); // tfjs variable names are global: one store at a time (it refills lazily)
      const gateStore = new VariableStore(29);
      const xhat = tf.randomNormal([1, s0, s0, cfg.channels[0]], 0, 1, 'float32', 5);
      const on: MemeFaceConfig = { ...cfg, blend: 'mask-shade-colour', colourGateWhole: true };
      const maxMask = (c: MemeFaceConfig, whole?: tf.Tensor4D) => tf.max(editingComponent(o, gateStore, c, 0, patch, xhat, whole).colourMask!).dataSync()[0];
      expect(maxMask({ ...on, colourGateWhole: false }, face)).toBeLessThan(1e-6); // the patch's own gate: shut
      expect(maxMask(on, face)).toBeGreaterThan(1e-3); // the face's gate: open
      // Without a whole template (inference: the pattern is the whole template) the switch changes nothing.
      expect(maxDiff(editingComponent(o, gateStore, on, 0, face, xhat).image, editingComponent(o, gateStore, { ...on, colourGateWhole: false }, 0, face, xhat).image)).toBe(0);
      gateStore.dispose();
    });
  });

  it('snapMono: on a monochrome template each pixel an edit moved becomes ink or white; small moves and coloured templates are untouched', () => {
    tf.tidy(() => {
      const s0 = cfg.imageSizes[0];
      // A white face with a black 2×2 stroke (its ink); then a yellow one with the same stroke.
      const stroke = (r: number, c: number) => r < 2 && c < 2;
      const face = (paper: number[]) => tf.tensor4d(Array.from({ length: s0 * s0 }, (_, k) => (stroke(Math.floor(k / s0), k % s0) ? [-1, -1, -1] : paper)).flat(), [1, s0, s0, 3]);
      // The edit: pixel 40 to a light grey (0.3), pixel 41 to a dark grey (−0.4), pixel 42 moved only 0.05.
      const edited = (p: tf.Tensor4D) => {
        const d = p.dataSync().slice();
        d.fill(0.3, 40 * 3, 41 * 3);
        d.fill(-0.4, 41 * 3, 42 * 3);
        for (let c = 0; c < 3; c++) d[42 * 3 + c] -= 0.05;
        return tf.tensor4d(d, p.shape);
      };
      const mono = face([1, 1, 1]);
      const out = snapMonochrome(o, cfg, edited(mono), mono, mono).dataSync();
      const px = (j: number) => Array.from(out.slice(j * 3, j * 3 + 3));
      px(40).forEach((v) => expect(v).toBeCloseTo(1, 4)); // light grey → white
      px(41).forEach((v) => expect(v).toBeCloseTo(-1, 2)); // dark grey → the ink (black, a soft arg-min)
      px(42).forEach((v) => expect(v).toBeCloseTo(0.95, 4)); // a small move stays
      px(0).forEach((v) => expect(v).toBeCloseTo(-1, 5)); // the template's own stroke stays
      const yellow = face([1, 0.8, -0.6]);
      expect(maxDiff(snapMonochrome(o, cfg, edited(yellow), yellow, yellow), edited(yellow))).toBeLessThan(1e-4);
      // In G'_i: off by default, and the switch changes the image only on the monochrome template.
      store.dispose(); // tfjs variable names are global: one store at a time (it refills lazily)
      const snapStore = new VariableStore(31);
      const xhat = tf.randomNormal([1, s0, s0, cfg.channels[0]], 0, 3, 'float32', 5);
      const on: MemeFaceConfig = { ...cfg, blend: 'mask-shade', shadeInk: true, snapMono: true };
      const image = (c: MemeFaceConfig, t: tf.Tensor4D) => editingComponent(o, snapStore, c, 0, t, xhat).image;
      expect(maxDiff(image(on, mono), image({ ...on, snapMono: false }, mono))).toBeGreaterThan(1e-2);
      expect(maxDiff(image(on, yellow), image({ ...on, snapMono: false }, yellow))).toBeLessThan(1e-4);
      snapStore.dispose();
    });
  });

  it('editSharpness: the trained mask value `threshold` becomes 0.5 and the step steepens; gain 1 at 0.5 is the trained mask', () => {
    tf.tidy(() => {
      const logit = tf.tensor4d([-3, -0.8473, -0.5, 0, 0.5, 3], [1, 1, 6, 1]); // ℓ; σ(−0.8473) ≈ 0.3
      const read = (gain: number, threshold: number) => Array.from(tf.sigmoid(sharpenedLogit(o, logit, { gain, threshold }) as tf.Tensor).dataSync());
      const trained = Array.from(tf.sigmoid(logit).dataSync());
      read(1, 0.5).forEach((v, j) => expect(v).toBeCloseTo(trained[j], 6));
      const sharp = read(4, 0.3);
      expect(sharp[1]).toBeCloseTo(0.5, 3); // the trained 0.3 is the new midpoint
      expect(sharp[0]).toBeLessThan(trained[0]); // below it: toward "keep the template"
      expect(sharp[3]).toBeGreaterThan(trained[3]); // above it: toward "edited"
      expect(sharp[5]).toBeGreaterThan(0.9999);
      // In G'_i: absent is the trained mask; set, the image moves.
      store.dispose(); // tfjs variable names are global: one store at a time (it refills lazily)
      const sharpStore = new VariableStore(33);
      const s0 = cfg.imageSizes[0];
      const face = tf.randomUniform([1, s0, s0, 3], -1, 1, 'float32', 9) as tf.Tensor4D;
      const xhat = tf.randomNormal([1, s0, s0, cfg.channels[0]], 0, 3, 'float32', 5);
      const on: MemeFaceConfig = { ...cfg, blend: 'mask-shade', editSharpness: { gain: 4, threshold: 0.3 } };
      const image = (c: MemeFaceConfig) => editingComponent(o, sharpStore, c, 0, face, xhat);
      const { editSharpness: _, ...off } = on;
      expect(maxDiff(image({ ...on, editSharpness: { gain: 1, threshold: 0.5 } }).image, image(off).image)).toBeLessThan(1e-6);
      expect(maxDiff(image(on).image, image(off).image)).toBeGreaterThan(1e-2);
      sharpStore.dispose();
    });
  });

  it('coarseFromBelow: an upper stage keeps its own detail and takes the coarse picture from the stage below', () => {
    tf.tidy(() => {
      const image = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 7) as tf.Tensor4D; // x̄_i
      const below = tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 8) as tf.Tensor4D; // x̄'_{i−1}
      const out = coarseFromBelow(o, image, below);
      expect(out.shape).toEqual([2, 16, 16, 3]);
      // Its own coarse picture below: nothing changes.
      expect(maxDiff(coarseFromBelow(o, image, downsampleTo(o, image, 8)), image)).toBeLessThan(1e-5);
      // The detail (x̄ minus its coarse picture) is x̄_i's; the coarse picture is the stage below's.
      const up = (x: tf.Tensor) => tf.image.resizeBilinear(x as tf.Tensor4D, [16, 16]);
      expect(maxDiff(tf.sub(out, up(below)), tf.sub(image, up(downsampleTo(o, image, 8))))).toBeLessThan(1e-5);
      // The stage below brighter by 0.25: the output brighter by 0.25 everywhere.
      expect(maxDiff(coarseFromBelow(o, image, tf.add(below, 0.25)), tf.add(out, 0.25))).toBeLessThan(1e-5);
    });
  });

  it('shadeInk: the shade darkens toward the template\'s ink (its darkest colour), read from the whole template, not the patch', () => {
    tf.tidy(() => {
      const s0 = cfg.imageSizes[0];
      // A yellow face with a slate 2×2 eye on white: its ink is the slate.
      const slate = [-0.6, -0.5, -0.3];
      const px = (r: number, c: number) => (r < 2 && c < 2 ? slate : r < s0 - 1 && c < s0 - 1 ? [1, 0.8, -0.6] : [1, 1, 1]);
      const face = tf.tensor4d(Array.from({ length: s0 * s0 }, (_, k) => px(Math.floor(k / s0), k % s0)).flat(), [1, s0, s0, 3]);
      const ink = templateInk(o, face); // [1, 1, 1, 3]
      expect(ink.shape).toEqual([1, 1, 1, 3]);
      const k = ink.dataSync();
      slate.forEach((v, c) => expect(k[c]).toBeCloseTo(v, 2));
      // s = −1 gives the ink on any pixel, s = 0 keeps P, s = 1 still gives white; a pixel as dark as the ink stays.
      const yellow = tf.tensor4d([1, 0.8, -0.6, ...slate], [1, 1, 2, 3]);
      const at = (v: number) => Array.from(relativeColour(o, yellow, tf.fill([1, 1, 2, 1], v), ink).dataSync());
      at(-1).forEach((v, j) => expect(v).toBeCloseTo(k[j % 3], 5));
      at(0).forEach((v, j) => expect(v).toBeCloseTo(yellow.dataSync()[j], 6));
      at(1).slice(0, 3).forEach((v) => expect(v).toBeCloseTo(1, 6));
      // G'_0 with shadeInk: a patch with no eye in it (all yellow) still shades toward the whole face's slate.
      store.dispose(); // tfjs variable names are global: one store at a time (it refills lazily)
      const patch = tf.tile(tf.tensor4d([1, 0.8, -0.6], [1, 1, 1, 3]), [1, s0, s0, 1]); // [1, S, S, 3]
      const { shadeStore, fromWhole: fromFace, fromPatch, off: toBlack } = shadedPatch(19, 'shadeInk', patch, face);
      expect(maxDiff(fromFace, toBlack)).toBeGreaterThan(1e-3);
      expect(maxDiff(fromFace, fromPatch)).toBeGreaterThan(1e-3);
      // Every edited pixel lies between yellow and white or between yellow and the slate: never below the ink.
      const d = fromFace.dataSync();
      for (let j = 0; j < d.length; j += 3) expect(d[j + 2]).toBeGreaterThanOrEqual(Math.min(-0.6, slate[2]) - 1e-5);
      shadeStore.dispose();
    });
  });

  it('shadeFill: the shade lightens toward the template\'s fill (its face colour), read from the whole template, not the patch', () => {
    tf.tidy(() => {
      const s0 = cfg.imageSizes[0];
      // A yellow face with a slate 2×2 eye in its centre on a white border: its fill is the yellow.
      const yellowPx = [1, 0.8, -0.6];
      const slate = [-0.6, -0.5, -0.3];
      const mid = s0 / 2;
      const px = (r: number, c: number) => (Math.abs(r - mid) < 1 && Math.abs(c - mid) < 1 ? slate : r > 0 && c > 0 && r < s0 - 1 && c < s0 - 1 ? yellowPx : [1, 1, 1]);
      const face = tf.tensor4d(Array.from({ length: s0 * s0 }, (_, k) => px(Math.floor(k / s0), k % s0)).flat(), [1, s0, s0, 3]);
      const fill = templateFill(o, face); // [1, 1, 1, 3]
      expect(fill.shape).toEqual([1, 1, 1, 3]);
      const f = fill.dataSync();
      yellowPx.forEach((v, c) => expect(f[c]).toBeCloseTo(v, 2));
      // s = 1 erases the slate eye to the yellow, s = 0 keeps it, s = −1 still goes to black without shadeInk.
      const eye = tf.tensor4d([...slate, ...slate], [1, 1, 2, 3]);
      const at = (v: number) => Array.from(relativeColour(o, eye, tf.fill([1, 1, 2, 1], v), undefined, fill).dataSync());
      at(1).forEach((v, j) => expect(v).toBeCloseTo(f[j % 3], 5));
      at(0).forEach((v, j) => expect(v).toBeCloseTo(slate[j % 3], 6));
      at(-1).forEach((v) => expect(v).toBeCloseTo(-1, 6));
      // G'_0 with shadeFill: a white patch (the border) still lightens toward the whole face's yellow.
      store.dispose(); // tfjs variable names are global: one store at a time (it refills lazily)
      const { shadeStore, fromWhole, fromPatch, off: toWhite } = shadedPatch(23, 'shadeFill', tf.ones([1, s0, s0, 3]), face);
      expect(maxDiff(fromWhole, toWhite)).toBeGreaterThan(1e-3);
      expect(maxDiff(fromWhole, fromPatch)).toBeGreaterThan(1e-3);
      shadeStore.dispose();
    });
  });

  it('fillGate: the shade starts lightening toward white (zero-initialised gate) and, with the gate open, lightens toward the fill', () => {
    tf.tidy(() => {
      const s0 = cfg.imageSizes[0];
      const yellowPx = [1, 0.8, -0.6];
      const face = tf.add(tf.zeros([1, s0, s0, 3]), tf.tensor1d(yellowPx)) as tf.Tensor4D; // a yellow template
      const xhat = tf.randomNormal([1, s0, s0, cfg.channels[0]], 0, 1, 'float32', 5);
      store.dispose(); // tfjs variable names are global: one store at a time (it refills lazily)
      const gateStore = new VariableStore(29);
      const shade: MemeFaceConfig = { ...cfg, blend: 'mask-shade' };
      const edit = (c: MemeFaceConfig) => editingComponent(o, gateStore, c, 0, face, xhat).image as tf.Tensor4D;
      const gated = edit({ ...shade, fillGate: true });
      const white = edit(shade);
      const fill = edit({ ...shade, shadeFill: true });
      // At g = sigmoid(−4) ≈ 0.018 the image is within 0.018 · |fill − white| ≤ 0.036 of the white shade's, and not equal to it.
      expect(maxDiff(gated, white)).toBeLessThan(0.04);
      expect(maxDiff(gated, white)).toBeGreaterThan(0);
      expect(maxDiff(white, fill)).toBeGreaterThan(0.05);
      // The gate open (bias +30): the shade's light end is the fill, as with shadeFill.
      const bias = gateStore.vars.get('gen/edit0/fillgate/b')!;
      bias.assign(tf.fill([1], 30));
      expect(maxDiff(edit({ ...shade, fillGate: true }), fill)).toBeLessThan(1e-5);
      // 'mask-relative' (three s, one per channel) reads the same gate: shut (bias −30), its light end is white.
      bias.assign(tf.fill([1], -30));
      const relative: MemeFaceConfig = { ...cfg, blend: 'mask-relative' };
      expect(maxDiff(edit({ ...relative, fillGate: true }), edit(relative))).toBeLessThan(1e-5);
      expect(maxDiff(edit(relative), edit({ ...relative, shadeFill: true }))).toBeGreaterThan(0.05);
      gateStore.dispose();
    });
  });

  it('every blend: G\'_i returns an edit mask m [B, S, S, 1] in [0, 1] exactly for EDIT_MASK_BLENDS (what the mask regulariser may act on)', () => {
    tf.tidy(() => {
      const s0 = cfg.imageSizes[0];
      const tmpl = tf.sub(tf.mul(tf.randomUniform([2, s0, s0, 3], 0, 1, 'float32', 4), 2), 1); // [2, S, S, 3]
      const xhat = tf.randomNormal([2, s0, s0, cfg.channels[0]], 0, 1, 'float32', 5); // [2, S, S, C]
      store.dispose(); // tfjs variable names are global: one store at a time (it refills lazily)
      for (const blend of BLENDS) {
        const blendStore = new VariableStore(18);
        const { image, editMask } = editingComponent(o, blendStore, { ...cfg, blend }, 0, tmpl, xhat);
        expect(image.shape).toEqual([2, s0, s0, 3]);
        expect(editMask !== undefined, blend).toBe(EDIT_MASK_BLENDS.includes(blend));
        if (editMask) {
          expect(editMask.shape).toEqual([2, s0, s0, 1]);
          expect(tf.min(editMask).dataSync()[0]).toBeGreaterThanOrEqual(0);
          expect(tf.max(editMask).dataSync()[0]).toBeLessThanOrEqual(1);
        }
        blendStore.dispose();
      }
    });
  });

  it("blend 'palette': keep gives P, fill the template's dominant centre colour, ink its darkest colour", () => {
    tf.tidy(() => {
      // 8×8 template: white border, yellow centre half with one black pixel (an eye).
      const px = (r: number, c: number) => (r === 3 && c === 3 ? [-1, -1, -1] : r >= 2 && r < 6 && c >= 2 && c < 6 ? [1, 0.8, -0.6] : [1, 1, 1]);
      const rows = Array.from({ length: 64 }, (_, k) => px(Math.floor(k / 8), k % 8)).flat();
      const tmpl = tf.tensor4d(rows, [1, 8, 8, 3]);
      const pick = (k: number, free = 0) => {
        const logits = Array.from({ length: 64 }, () => [...[0, 1, 2, 3].map((j): number => (j === k ? 60 : 0)), free, free, free]).flat();
        return paletteBlend(o, tf.tensor4d(logits, [1, 8, 8, 7]), tmpl);
      };
      expect(Array.from(pick(0).dataSync())).toEqual(Array.from(tmpl.dataSync()).map((v) => expect.closeTo(v, 5)));
      const fill = pick(1).dataSync();
      [1, 0.8, -0.6].forEach((v, c) => expect(fill[c]).toBeCloseTo(v, 2)); // every pixel: yellow
      const ink = pick(2).dataSync();
      [-1, -1, -1].forEach((v, c) => expect(ink[9 * 3 + c]).toBeCloseTo(v, 2)); // every pixel: black
      const free = pick(3, 0.5).dataSync();
      expect(free[0]).toBeCloseTo(Math.tanh(0.5), 5);
      // At zero logits the keep weight is e²/(e² + 3) ≈ 0.71: 29% of the way to the other colours,
      // as the mask blend's sigmoid(−1) starts.
      const start = tf.mean(tf.abs(tf.sub(paletteBlend(o, tf.zeros([1, 8, 8, 7]), tmpl), tmpl))).dataSync()[0];
      expect(start).toBeLessThan(0.4);
    });
  });

  it("blend 'palette-ink': three logits mix P, fill and ink only; the keep weight starts at e²/(e² + 2)", () => {
    tf.tidy(() => {
      const px = (r: number, c: number) => (r === 3 && c === 3 ? [-1, -1, -1] : r >= 2 && r < 6 && c >= 2 && c < 6 ? [1, 0.8, -0.6] : [1, 1, 1]);
      const tmpl = tf.tensor4d(Array.from({ length: 64 }, (_, k) => px(Math.floor(k / 8), k % 8)).flat(), [1, 8, 8, 3]);
      const pick = (k: number) => paletteBlend(o, tf.tensor4d(Array.from({ length: 64 }, () => [0, 1, 2].map((j) => (j === k ? 60 : 0))).flat(), [1, 8, 8, 3]), tmpl);
      expect(pick(0).shape).toEqual([1, 8, 8, 3]);
      expect(Array.from(pick(0).dataSync())).toEqual(Array.from(tmpl.dataSync()).map((v) => expect.closeTo(v, 5)));
      [1, 0.8, -0.6].forEach((v, c) => expect(pick(1).dataSync()[c]).toBeCloseTo(v, 2)); // yellow everywhere
      [-1, -1, -1].forEach((v, c) => expect(pick(2).dataSync()[9 * 3 + c]).toBeCloseTo(v, 2)); // black everywhere
      // A white border pixel at zero logits: (1 − w_keep) of the way to the mean of fill and ink.
      const keepWeight = Math.exp(2) / (Math.exp(2) + 2);
      const start = paletteBlend(o, tf.zeros([1, 8, 8, 3]), tmpl).dataSync();
      const fillInk = [(1 + -1) / 2, (0.8 + -1) / 2, (-0.6 + -1) / 2];
      fillInk.forEach((v, c) => expect(start[c]).toBeCloseTo(keepWeight * 1 + (1 - keepWeight) * v, 2));
    });
  });

  it('discriminators: three logits [B, 1] per stage', () => {
    tf.tidy(() => {
      cfg.imageSizes.forEach((s, i) => {
        const d = discriminator(o, store, cfg, i, tf.zeros([B, s, s, 3]), tf.ones([B, cfg.textDim]), tf.zeros([B, s, s, 3]));
        for (const x of [d.uncond, d.cond, d.tmpl]) expect(x.shape).toEqual([B, 1]);
      });
    });
  });

  it('DAMSM: regions [B, N, D], global [B, D], scores [B, B]', () => {
    tf.tidy(() => {
      const s = cfg.imageSizes[cfg.imageSizes.length - 1];
      const img = damsmImageEncoder(o, store, cfg, tf.randomUniform([B, s, s, 3], -1, 1, 'float32', 6));
      const n = (cfg.damsmImageSize / 8) ** 2;
      expect(img.regions.shape).toEqual([B, n, cfg.textDim]);
      expect(img.global.shape).toEqual([B, cfg.textDim]);
      const { ids, mask } = tokens([2, 3, 6]);
      const t = textEncoder(o, store, cfg, ids, mask);
      expect(wordMatchScores(o, t.words, mask, img.regions, B).shape).toEqual([B, B]);
      expect(sentenceMatchScores(o, t.sentence, img.global).shape).toEqual([B, B]);
    });
  });

  it('graph recording gives the same static shapes as eager for every graph', () => {
    const arch = memeFaceArchitectureFor(cfg);
    // Materialise every generator parameter with an eager pass over zero feeds.
    store.dispose(); // tfjs variable names are global: one store at a time
    const fresh = new VariableStore(13);
    tf.tidy(() => {
      const pool = new Map<string, tf.Tensor>([
        ['token_ids', tf.zeros([1, cfg.maxTokens], 'int32')],
        ['token_mask', tf.ones([1, cfg.maxTokens])],
        ['noise', tf.zeros([1, cfg.zDim])],
        ...cfg.imageSizes.map((s) => [`template_${s}`, tf.zeros([1, s, s, 3])] as [string, tf.Tensor]),
      ]);
      runArchitecture(arch, o, fresh, cfg, pool);
    });
    const weights = new Map<string, { shape: number[]; values: Float32Array }>();
    for (const [k, v] of fresh.vars) weights.set(k, { shape: v.shape, values: v.dataSync() as Float32Array });
    fresh.dispose();
    const shapes = new Map<string, number[]>();
    for (const spec of [arch.textEncoder, ...arch.stages]) {
      const g = new GraphBuilder();
      const x = Object.fromEntries(spec.inputs(cfg).map((ph) => [ph.name, g.placeholder(ph.name, ph.shape, ph.dtype)]));
      for (const [k, t] of Object.entries(spec.build(createGraphOps(g), new GraphParams(g, weights), cfg, x))) shapes.set(k, t.shape);
    }
    const l = cfg.maxTokens;
    expect(shapes.get('words')).toEqual([-1, l, cfg.textDim]);
    expect(shapes.get('sentence')).toEqual([-1, cfg.textDim]);
    const [s0, s1] = cfg.imageSizes;
    expect(shapes.get(`image_${s0}`)).toEqual([-1, s0, s0, 3]);
    expect(shapes.get(`h_${s0}`)).toEqual([-1, s0, s0, cfg.channels[0]]);
    expect(shapes.get(`image_${s1}`)).toEqual([-1, s1, s1, 3]);
    expect(shapes.get(`attn_${s1}`)).toEqual([-1, s1 * s1, l]);
  });
});

describe('MemeFaceGenerator: paper configuration', () => {
  const paper = modelConfig(DEFAULT_CONFIG, 3000);

  it("is registered as 'memeface' with stages 64/128/256", () => {
    const arch = getArchitecture('memeface');
    expect(arch.name).toBe(memeFaceArchitecture.name);
    expect(arch.stages.map((s) => s.size)).toEqual([64, 128, 256]);
    expect(resolveArchitecture('memeface', { ...paper, imageSizes: [32, 64] }).stages.map((s) => s.size)).toEqual([32, 64]);
    expect(memeFaceArchitectureFor(paper).stages.map((s) => s.size)).toEqual([64, 128, 256]);
  });

  it('fits the budget: ≤ 1.5 GMAC per 256 px meme, ≤ 4M generator + text-encoder parameters', () => {
    const b = generatorBudget(memeFaceArchitectureFor(paper), paper);
    expect(b.macsPerImage).toBeLessThanOrEqual(1.5e9);
    expect(b.params).toBeLessThanOrEqual(4e6);
  });

  it('rejects inconsistent model configs with the key named', () => {
    expect(() => checkMemeFaceConfig({ ...paper, channels: [8, 8] })).toThrow(MemeFaceConfigError);
    expect(() => checkMemeFaceConfig({ ...paper, zDim: 8 })).toThrow(/zDim/);
    expect(() => checkMemeFaceConfig({ ...paper, imageSizes: [64, 96, 256] })).toThrow(/double/);
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'mask', shadeInk: true })).toThrow(/shadeInk needs a shading blend/);
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'mask-shade-colour', shadeInk: true })).not.toThrow();
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'residual', shadeFill: true })).toThrow(/shadeFill needs a shading blend/);
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'mask-shade', shadeFill: true })).not.toThrow();
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'palette', fillGate: true })).toThrow(/fillGate needs a shading blend/);
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'mask-shade', fillGate: true, shadeFill: true })).toThrow(/fillGate and shadeFill/);
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'mask-shade-colour', fillGate: true })).not.toThrow();
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'mask-shade', colourGateWhole: true })).toThrow(/colourGateWhole needs blend "mask-shade-colour"/);
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'palette', snapMono: true })).toThrow(/snapMono needs a mask blend/);
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'mask-shade', snapMono: true })).not.toThrow();
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'residual', editSharpness: { gain: 4, threshold: 0.3 } })).toThrow(/editSharpness needs a mask blend/);
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'mask', editSharpness: { gain: 0, threshold: 0.3 } })).toThrow(/editSharpness\.gain must be a positive number, got 0/);
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'mask', editSharpness: { gain: 4, threshold: 1 } })).toThrow(/editSharpness\.threshold must lie strictly between 0 and 1, got 1/);
    expect(() => checkMemeFaceConfig({ ...paper, blend: 'mask-shade-colour', editSharpness: { gain: 4, threshold: 0.3 } })).not.toThrow();
  });
});
