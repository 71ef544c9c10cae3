/**
 * The training run config: typed, validated (unknown keys and wrong types are rejected with the
 * key's dotted path), resolved against the paper's defaults and saved with every run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BLENDS, checkMemeFaceConfig, EDIT_MASK_BLENDS, type EditSharpness, type MemeFaceConfig } from '../../model/memeface/config';

export interface RunConfig {
  /** Config name (file stem); names the run folder. */
  name: string;
  seed: number;
  data: {
    /** 'corpus': training/data's corpus (npm run data); 'builtin': a small emoji set rasterised on the fly. */
    source: 'corpus' | 'builtin';
    corpusDir: string;
    /** Cap on training pairs (0 = all). */
    maxPairs: number;
    /**
     * Pairs drawn per epoch (0 = every pair). The corpus has ~9 captions per image, so a full pass is
     * ~800 steps; a smaller epoch (drawn without replacement, a fresh draw each epoch) keeps the
     * paper's "checkpoint every 5 epochs" timeline meaningful on a CPU budget.
     */
    pairsPerEpoch: number;
    /** Builtin source only: which emoji styles (templates) and how many expressions per style (0 = all). */
    builtinStyles: string[];
    builtinExpressions: number;
    /**
     * Mirror each training pair's image and template pattern together with probability ½ (AttnGAN's
     * random horizontal flip; training/train/augment.ts), in both phases. false = as before.
     */
    flip: boolean;
  };
  text: { maxTokens: number; maxChars: number; lowercase: boolean; minCount: number };
  /** Export options (`EXPORT_OPTIONS`) are never trained. */
  model: Omit<MemeFaceConfig, 'vocabSize' | 'maxTokens' | ExportOption>;
  damsm: { epochs: number; batchSize: number; lr: number; beta1: number; beta2: number };
  gan: {
    epochs: number;
    batchSize: number;
    lrG: number;
    lrD: number;
    /**
     * G's learning rate on the upper stages (G_i and G'_i for i ≥ 1, which draw the 128 and 256 px
     * strokes and shading; `upperStageVariable` in trainer.ts); 0 = `lrG`. Lets stage 0 and the
     * text encoder, where the expression is decided, train slower than the stages that draw the
     * template's style (issue 9, attempts BZ and CA).
     */
    lrGUpper: number;
    beta1: number;
    beta2: number;
    /** λ of the L_DAMSM term. */
    lambdaDamsm: number;
    klWeight: number;
    ema: number;
    loss: 'bce' | 'hinge';
    /** Paired L1 reconstruction weight (0 = the paper's setting, off). */
    reconWeight: number;
    /**
     * Extra weight k on the pixels where the real image departs from its template: they count
     * (1 + k)× in the reconstruction term (0 = plain L1). See losses.ts editWeightedL1.
     */
    reconEditWeight: number;
    /**
     * Weight of the edge term inside the reconstruction: L1 between the images' finite
     * differences, edit-weighted as above (0 = off). See losses.ts edgeL1.
     */
    reconEdgeWeight: number;
    diffAugment: boolean;
    /**
     * Which DiffAugment transforms run when `diffAugment` is on: all three (colour, translation,
     * cutout; attempt AL), or translation alone, which keeps the colours and the features D's
     * class head reads.
     */
    diffAugmentPolicy: 'colour-translation-cutout' | 'translation';
    /** Template-conditional logit in D and G's loss (mismatched image/template pairs). */
    templateCond: boolean;
    /** Train the text encoder with G's loss (end to end) instead of freezing it after DAMSM pre-training (AttnGAN). */
    trainTextEncoder: boolean;
    /** Patch training: stages larger than this train on one random P×P window per batch (0 = whole images). */
    patchSize: number;
    /**
     * AC-GAN's auxiliary classifier: weight of an expression-classification head on each D_i that
     * trains on whole images (not patches). D learns the expression of real images, G is asked to
     * make x̄_i that D classifies as the caption's expression (0 = off, the paper's setting).
     */
    classWeight: number;
    /**
     * The same auxiliary classifier for the template: a second head on each D_i (whole images)
     * learns which template each real image was drawn in, and G is asked for x̄_i that D reads as
     * the requested template, so edits keep the template's style (issue 9: the mean emoji's
     * orange on monochrome faces). 0 = off.
     */
    templateClassWeight: number;
    /**
     * The template head also on the stages that train on patches (`gan.patchSize`), where it names
     * the template from a window of the image. A family is told by its palette, shading and
     * strokes, which a window holds (the eval's template judge reads no layout either), whereas the
     * expression head stays off on patches (a window may hold no mouth or eyes). Without it the
     * head works on stage 0 only, and the 128 and 256 px stages, which draw the strokes and
     * shading, get no template signal beyond D's real/fake one. Needs `templateClassWeight` > 0.
     */
    templateClassPatches: boolean;
    /**
     * With `model.blend: 'mask-shade-colour'`: weight of the mean free-colour mask, Σ_i mean(c_i),
     * so that an edit shades the template and uses a free colour only where shading cannot draw
     * the target (tears, blush, hearts). 0 = off.
     */
    colourMaskWeight: number;
    /**
     * Weight of the stage-consistency term, Σ_{i≥1} |lum(down(x̄_i)) − lum(x̄_{i−1})|₁ with x̄_{i−1}
     * held fixed (losses.ts stageConsistencyL1): each upper stage, read at the scale of the stage
     * below, keeps that stage's light and dark layout. Read at 64 px, the default's x̄_0 matched its
     * captions far better than its x̄_2 (issue 9, attempt AW). 0 = off.
     */
    stageConsistencyWeight: number;
    /**
     * Which upper stages get the stage-consistency term: 'all' (every x̄_i, i ≥ 1, attempt AW) or
     * 'stage1' (x̄_1 against x̄_0 only: the 128 px stage is where the default lost the expression,
     * and the 256 px stage stays free to draw its strokes in the template's own ink).
     */
    stageConsistencyStages: 'all' | 'stage1';
    /**
     * Extra average-pooling factor (a power of two) applied to both images before the
     * stage-consistency term compares them: 1 compares at the scale of the stage below (AW); 2
     * compares at half that scale, so the term keeps where the dark and light regions are and
     * leaves a stroke's width and ink (black on a monochrome face, not grey) to the upper stage.
     */
    stageConsistencyPool: number;
    /**
     * With a blend that has an edit mask (`model.blend` in EDIT_MASK_BLENDS, model/memeface/config.ts):
     * weights of the edit mask's total variation, Σ_i TV(m_i), and of its mean, Σ_i mean(m_i)
     * (GANimation's attention-mask terms; losses.ts maskRegulariser). 0 = off.
     */
    editMaskTvWeight: number;
    editMaskMeanWeight: number;
    /**
     * Train the stages above 0 (G_i, G'_i, D_i for i ≥ 1) on every k-th GAN step only; the steps
     * between train stage 0 and the text encoder alone, at about 55% of a full step's cost. The
     * expression is decided at stage 0 (64 px); the upper stages mostly refine (1 = every step).
     */
    upperStageEvery: number;
    /**
     * The first k GAN steps of a run (counted from GAN epoch 0) update D alone: G, the text encoder
     * and the EMA keep their weights while their gradients are still computed. For a run that
     * starts G from an export (`--init-from-export`) but D afresh: a D that cannot yet tell the
     * families' colours apart pulls G's colours off its family (attempt BR). A warm start
     * (`--init-from`) continues its source's epochs and so never warms up. 0 = off.
     */
    dWarmupSteps: number;
    /**
     * Linear learning-rate decay of G and D (pix2pix's schedule): both rates are constant to epoch
     * `lrDecayStart` and fall linearly to 0 at epoch `lrDecayEnd`, counted in fractional epochs of
     * GAN steps, so a resumed or extended run follows the same schedule (both 0 = constant).
     */
    lrDecayStart: number;
    lrDecayEnd: number;
    /**
     * The batch as this many equal shards: the terms that compare samples (L_DAMSM's matching,
     * mismatched captions and templates) compare within a shard, and the gradients are the mean
     * over shards. Worker threads (`npm run train -- --workers N`, N dividing this) each take
     * whole shards, so one core or two give the same update (1 = the whole batch, AttnGAN's).
     */
    shards: number;
  };
  /** Checkpoint (and sample grid) every N epochs of each phase; the last epoch always checkpoints. */
  checkpointEvery: number;
  grid: { captions: string[]; templates: number; seeds: number[]; cell: number };
  logEvery: number;
}

/** Model switches the exporter sets (`npm run export` flags) and run configs may not: the trainer never builds them. */
export const EXPORT_OPTIONS = { snapMono: '--snap-mono', coarseFromBelow: '--coarse-from-below' } as const;
export type ExportOption = keyof typeof EXPORT_OPTIONS;
/**
 * Model keys that change what the networks compute but add or drop no parameter: where the shade
 * darkens and lightens toward (shadeInk, shadeFill), what the colour gate reads (colourGateWhole)
 * and how the edit mask is read (editSharpness). A warm start and a branch from an export may both
 * change them; every other model and text key shapes the networks.
 */
export const PARAMETER_FREE_MODEL_PATH = /^model\.(shadeInk|shadeFill|colourGateWhole|editSharpness(\.gain|\.threshold)?)$/;
/** The export-only switches, as the export CLI lists them. */
export const EXPORT_SWITCHES = Object.keys(EXPORT_OPTIONS) as ExportOption[];
/**
 * What the exporter sets: the switches that are on, and `model.editSharpness`
 * (`--sharpen-edits`), which a run config may also train with; the export's value wins.
 */
export type ExportOptions = Partial<Pick<MemeFaceConfig, ExportOption | 'editSharpness'>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `--sharpen-edits 4@0.3` → { gain: 4, threshold: 0.3 }; checkMemeFaceConfig checks the ranges. */
export function parseEditSharpness(text: string): EditSharpness {
  const match = /^([0-9.]+)@([0-9.]+)$/.exec(text.trim());
  if (!match) throw new ConfigError(`--sharpen-edits takes <gain>@<threshold>, for example 4@0.3 (got "${text}").`);
  return { gain: Number(match[1]), threshold: Number(match[2]) };
}

/** The paper's setting (AttnGAN hyper-parameters where the paper is silent). */
export const DEFAULT_CONFIG: RunConfig = {
  name: 'default',
  seed: 1,
  data: { source: 'corpus', corpusDir: 'data/build/corpus', maxPairs: 0, pairsPerEpoch: 0, builtinStyles: ['noto', 'twemoji', 'fluent-emoji-flat', 'openmoji'], builtinExpressions: 0, flip: false },
  text: { maxTokens: 12, maxChars: 24, lowercase: true, minCount: 1 },
  model: {
    wordDim: 128,
    textDim: 128,
    caDim: 64,
    zDim: 96,
    imageSizes: [64, 128, 256],
    channels: [48, 24, 12],
    editChannels: [48, 32, 24],
    editDown: 4,
    resBlocks: 1,
    fusion: 'concat',
    stage0Film: false,
    stage0Template: false,
    shadeInk: false,
    shadeFill: false,
    fillGate: false,
    colourGateWhole: false,
    templateSkip: false,
    blend: 'none',
    ndf: 16,
    damsmChannels: 32,
    damsmImageSize: 64,
  },
  damsm: { epochs: 20, batchSize: 14, lr: 2e-3, beta1: 0.5, beta2: 0.999 },
  gan: {
    epochs: 600,
    batchSize: 14,
    lrG: 2e-4,
    lrD: 2e-4,
    lrGUpper: 0,
    beta1: 0.5,
    beta2: 0.999,
    lambdaDamsm: 5,
    klWeight: 1,
    ema: 0.999,
    loss: 'bce',
    reconWeight: 0,
    reconEditWeight: 0,
    reconEdgeWeight: 0,
    diffAugment: false,
    diffAugmentPolicy: 'colour-translation-cutout',
    templateCond: true,
    patchSize: 0,
    trainTextEncoder: false,
    classWeight: 0,
    templateClassWeight: 0,
    templateClassPatches: false,
    colourMaskWeight: 0,
    stageConsistencyWeight: 0,
    stageConsistencyStages: 'all',
    stageConsistencyPool: 1,
    editMaskTvWeight: 0,
    editMaskMeanWeight: 0,
    upperStageEvery: 1,
    dWarmupSteps: 0,
    lrDecayStart: 0,
    lrDecayEnd: 0,
    shards: 1,
  },
  checkpointEvery: 5,
  grid: { captions: ['别说了我脸红了', '笑死我了', '气死我了', '好困'], templates: 3, seeds: [1, 2], cell: 128 },
  logEvery: 10,
};

const ENUMS: Record<string, readonly string[]> = {
  'data.source': ['corpus', 'builtin'],
  'model.fusion': ['concat', 'film'],
  'model.blend': BLENDS,
  'gan.loss': ['bce', 'hinge'],
  'gan.diffAugmentPolicy': ['colour-translation-cutout', 'translation'],
  'gan.stageConsistencyStages': ['all', 'stage1'],
};
const INTEGER_KEYS = /^(seed|checkpointEvery|logEvery|data\.(maxPairs|pairsPerEpoch|builtinExpressions)|text\.(maxTokens|maxChars|minCount)|model\.(wordDim|textDim|caDim|zDim|editDown|resBlocks|ndf|damsmChannels|damsmImageSize|imageSizes|channels|editChannels)|damsm\.(epochs|batchSize)|gan\.(epochs|batchSize|patchSize|upperStageEvery|dWarmupSteps|shards|lrDecayStart|lrDecayEnd|stageConsistencyPool)|grid\.(templates|cell|seeds))$/;

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v;
}

/** Overlays `raw` on `base`, checking every key against the default's type. */
function overlay(base: unknown, raw: unknown, path: string, source: string): unknown {
  const where = path || '(top level)';
  if (Array.isArray(base)) {
    if (!Array.isArray(raw)) throw new ConfigError(`${source}: "${where}" must be an array, got ${typeName(raw)}.`);
    const elem = typeof (base[0] ?? (INTEGER_KEYS.test(path) ? 0 : '')) as string;
    raw.forEach((x, i) => {
      if (typeof x !== elem) throw new ConfigError(`${source}: "${where}[${i}]" must be a ${elem}, got ${typeName(x)} ${JSON.stringify(x)}.`);
      if (elem === 'number' && INTEGER_KEYS.test(path) && !Number.isInteger(x)) throw new ConfigError(`${source}: "${where}[${i}]" must be an integer, got ${x}.`);
    });
    return raw.slice();
  }
  if (typeof base === 'object' && base !== null) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${source}: "${where}" must be an object, got ${typeName(raw)}.`);
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      const key = path ? `${path}.${k}` : k;
      if (!(k in out)) {
        if (key === '$comment' || k === '$comment') continue;
        throw new ConfigError(`${source}: unknown key "${key}". Known keys here: ${Object.keys(out).join(', ')}.`);
      }
      out[k] = overlay(out[k], v, key, source);
    }
    return out;
  }
  if (typeof raw !== typeof base) throw new ConfigError(`${source}: "${where}" must be a ${typeof base}, got ${typeName(raw)} ${JSON.stringify(raw)}.`);
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw new ConfigError(`${source}: "${where}" must be a finite number.`);
    if (INTEGER_KEYS.test(path) && !Number.isInteger(raw)) throw new ConfigError(`${source}: "${where}" must be an integer, got ${raw}.`);
    if (raw < 0) throw new ConfigError(`${source}: "${where}" must not be negative, got ${raw}.`);
  }
  if (typeof raw === 'string' && ENUMS[path] && !ENUMS[path].includes(raw)) {
    throw new ConfigError(`${source}: "${where}" must be one of ${ENUMS[path].map((e) => `"${e}"`).join(', ')}, got "${raw}".`);
  }
  return raw;
}

/**
 * `model.editSharpness` is optional (absent = the trained mask σ(ℓ)), so it is not in
 * DEFAULT_CONFIG; this takes it out of a raw config, checks its shape, and returns the rest.
 */
function takeEditSharpness(raw: unknown, source: string): { sharpness?: EditSharpness; rest: unknown } {
  const model = (raw as { model?: unknown } | null)?.model;
  if (!model || typeof model !== 'object' || !('editSharpness' in model)) return { rest: raw };
  const { editSharpness: value, ...otherModel } = model as Record<string, unknown>;
  const ok = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).sort().join() === 'gain,threshold' && Object.values(value).every((v) => typeof v === 'number');
  if (!ok) throw new ConfigError(`${source}: "model.editSharpness" must be an object { "gain": <number>, "threshold": <number> }, got ${JSON.stringify(value)}.`);
  return { sharpness: { ...(value as unknown as EditSharpness) }, rest: { ...(raw as object), model: otherModel } };
}

/** Validates a raw config object and resolves it against the defaults. */
export function resolveConfig(raw: unknown, source = 'config'): RunConfig {
  const rawModel = (raw as { model?: unknown } | null)?.model;
  const exportOption = rawModel && typeof rawModel === 'object' ? Object.entries(EXPORT_OPTIONS).find(([key]) => key in rawModel) : undefined;
  if (exportOption) {
    const [key, flag] = exportOption;
    throw new ConfigError(`${source}: "model.${key}" is an export option, not a training one (the trainer does not build it). Drop it here and export with: npm run export -- --run <run> ${flag}.`);
  }
  const { sharpness, rest } = takeEditSharpness(raw, source);
  const cfg = overlay(DEFAULT_CONFIG, rest, '', source) as RunConfig;
  if (sharpness) cfg.model.editSharpness = sharpness; // optional: absent, a config's hash is what it was before the key
  const positive = ['damsm.batchSize', 'gan.batchSize', 'gan.upperStageEvery', 'gan.shards', 'checkpointEvery', 'text.maxTokens', 'logEvery'] as const;
  for (const key of positive) {
    const [a, b] = key.split('.');
    const v = (b ? (cfg as unknown as Record<string, Record<string, number>>)[a][b] : (cfg as unknown as Record<string, number>)[a]) as number;
    if (v < 1) throw new ConfigError(`${source}: "${key}" must be ≥ 1, got ${v}.`);
  }
  if (cfg.gan.batchSize % cfg.gan.shards !== 0) throw new ConfigError(`${source}: "gan.shards" (${cfg.gan.shards}) must divide "gan.batchSize" (${cfg.gan.batchSize}).`);
  const isPowerOfTwo = (n: number) => n >= 1 && (n & (n - 1)) === 0;
  const p = cfg.gan.patchSize;
  if (p !== 0 && (p < 8 || !isPowerOfTwo(p))) throw new ConfigError(`${source}: "gan.patchSize" must be 0 (off) or a power of two ≥ 8, got ${p}.`);
  const pool = cfg.gan.stageConsistencyPool;
  if (!isPowerOfTwo(pool)) throw new ConfigError(`${source}: "gan.stageConsistencyPool" must be a power of two ≥ 1 (1 compares at the scale of the stage below), got ${pool}.`);
  if (cfg.gan.templateClassPatches && cfg.gan.templateClassWeight <= 0) {
    throw new ConfigError(`${source}: "gan.templateClassPatches" needs a template head ("gan.templateClassWeight" > 0); set a weight or drop the switch.`);
  }
  if (cfg.gan.ema >= 1) throw new ConfigError(`${source}: "gan.ema" must be < 1, got ${cfg.gan.ema}.`);
  if (cfg.gan.colourMaskWeight > 0 && cfg.model.blend !== 'mask-shade-colour') {
    throw new ConfigError(`${source}: "gan.colourMaskWeight" needs "model.blend": "mask-shade-colour" (got "${cfg.model.blend}"); set the weight to 0 or change the blend.`);
  }
  if (!cfg.gan.diffAugment && cfg.gan.diffAugmentPolicy !== DEFAULT_CONFIG.gan.diffAugmentPolicy) {
    throw new ConfigError(`${source}: "gan.diffAugmentPolicy" is "${cfg.gan.diffAugmentPolicy}" but "gan.diffAugment" is false, so no augmentation would run; set "gan.diffAugment": true or drop the policy.`);
  }
  const { lrDecayStart, lrDecayEnd } = cfg.gan;
  if (lrDecayStart < 0 || lrDecayEnd < 0 || (lrDecayEnd > 0 && lrDecayEnd <= lrDecayStart) || (lrDecayEnd === 0 && lrDecayStart > 0)) {
    throw new ConfigError(`${source}: "gan.lrDecayStart" (${lrDecayStart}) and "gan.lrDecayEnd" (${lrDecayEnd}) must both be 0 (constant rates) or satisfy 0 ≤ start < end (epochs).`);
  }
  for (const key of ['editMaskTvWeight', 'editMaskMeanWeight'] as const) {
    if (cfg.gan[key] > 0 && !EDIT_MASK_BLENDS.includes(cfg.model.blend)) {
      throw new ConfigError(`${source}: "gan.${key}" needs a mask blend (${EDIT_MASK_BLENDS.join(', ')}; got "${cfg.model.blend}"), which has an edit mask to regularise; set the weight to 0 or change the blend.`);
    }
  }
  try {
    checkMemeFaceConfig(modelConfig(cfg, 2));
  } catch (e) {
    throw new ConfigError(`${source}: ${(e as Error).message}`);
  }
  return cfg;
}

/** Reads training/configs/<name>.json (or a path) and resolves it. */
export function loadConfigFile(nameOrPath: string, configsDir = 'training/configs'): RunConfig {
  const path = nameOrPath.endsWith('.json') ? nameOrPath : join(configsDir, `${nameOrPath}.json`);
  if (!existsSync(path)) throw new ConfigError(`No config "${nameOrPath}" (looked for ${path}).`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const stem = path.split('/').pop()!.replace(/\.json$/, '');
  const withName = { name: stem, ...(raw as Record<string, unknown>) };
  return resolveConfig(withName, path);
}

/** The architecture config (model/memeface) of a run config, given the vocabulary size. */
export function modelConfig(cfg: RunConfig, vocabSize: number): MemeFaceConfig {
  return { ...cfg.model, vocabSize, maxTokens: cfg.text.maxTokens };
}

/** Stable hash of a resolved config, stored in checkpoints. */
export function configHash(cfg: RunConfig): string {
  return createHash('sha256').update(JSON.stringify(cfg)).digest('hex').slice(0, 16);
}

/** Dotted paths where two resolved configs differ. */
export function configDiff(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b as object)]);
    return [...keys].flatMap((k) => configDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

export class ConfigMismatchError extends Error {
  override name = 'ConfigMismatchError';
}
