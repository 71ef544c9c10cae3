/** Every knob of the evaluation harness, typed and validated; `--quick` shrinks the sampled parts. */
export interface NetworkTraining {
  hidden: number;
  epochs: number;
  batch: number;
  learningRate: number;
  /** L2 penalty on weights; the corpus is small (≈1.3k training images). */
  weightDecay: number;
}

export interface EvalConfig {
  seed: number;
  quick: boolean;
  /**
   * Where the generated (image, caption) pairs come from. 'test': held-out (style, expression)
   * pairs, the metric. 'train': pairs the model trained on, a diagnostic: high numbers there and
   * low ones on test mean the model fits but does not generalise; low on both, that it does not fit.
   */
  split: 'test' | 'train';
  /**
   * A diagnostic (`--stage N`): score stage N's image (read at its own size) instead of the last
   * stage's, to see what each stage of the stack adds or loses. null: the last stage, the metric.
   */
  scoredStage: number | null;
  evaluator: NetworkTraining & {
    embedDim: number;
    /** DAMSM's γ₃: the softmax temperature on cosine similarities. */
    gamma: number;
    minNgramCount: number;
  };
  classifier: NetworkTraining;
  /**
   * Template classifiers trained with different seeds and averaged (the template judge). One
   * member's accuracy on the real test images moves by ±1.5 points with its seed; the mean of
   * five moves less and is at least as good as the typical member (docs/EVALUATION.md).
   */
  templateJudgeMembers: number;
  /**
   * DAMSM-style evaluators trained with different seeds (evaluator version 7). R-precision is the
   * mean of their R-precisions: one evaluator's reading of a generator moved by ~10 points with its
   * seed (the default model: 40.3% with seed 1, 50.2% with seed 2), more than the differences
   * between attempts, while its reading of real images moved ~1 point. Member 0 is the single
   * evaluator of version 6, whose feature space FID-proxy, feature distance and diversity keep.
   */
  evaluatorMembers: number;
  rPrecision: { candidates: number; splits: number };
  /** At most this many (test record, caption) pairs are generated per system. */
  maxEvalPairs: number;
  /** At most this many captions per test record (spreads the pairs over records). */
  captionsPerRecord: number;
  diversity: { texts: number; seeds: number };
  grid: { captions: number; templates: number; cell: number; checkpointCaptions: number };
  /** Checkpoints of the timeline measured and drawn, evenly spaced (the last always included). */
  maxCheckpoints: number;
  /** Eval-set pairs generated per checkpoint of the series. */
  checkpointPairs: number;
}

export const DEFAULT_EVAL_CONFIG: EvalConfig = {
  seed: 1,
  quick: false,
  split: 'test',
  scoredStage: null,
  evaluator: { hidden: 128, embedDim: 64, epochs: 20, batch: 64, learningRate: 1e-3, weightDecay: 1e-4, gamma: 10, minNgramCount: 2 },
  classifier: { hidden: 128, epochs: 25, batch: 64, learningRate: 1e-3, weightDecay: 1e-4 },
  templateJudgeMembers: 5,
  evaluatorMembers: 5,
  rPrecision: { candidates: 100, splits: 10 },
  maxEvalPairs: 600,
  captionsPerRecord: 8,
  diversity: { texts: 24, seeds: 4 },
  grid: { captions: 6, templates: 4, cell: 96, checkpointCaptions: 4 },
  maxCheckpoints: 6,
  checkpointPairs: 80,
};

/** Fewer generated pairs and diversity texts; the evaluators are the same (and cached). */
export const QUICK_OVERRIDES = { maxEvalPairs: 120, captionsPerRecord: 2, diversity: { texts: 8, seeds: 3 }, maxCheckpoints: 3, checkpointPairs: 30 } as const;

/** More than any export's timeline holds: `timeline` measures them all. */
const TIMELINE_MAX_CHECKPOINTS = 1000;

export class FixEvalConfigError extends Error {
  override name = 'FixEvalConfigError';
}

/**
 * `timeline`: every checkpoint of the timeline on every eval pair (the same pairs and seeds as the
 * final model), so that two runs can be compared epoch by epoch (issue 9's attempts).
 */
export function evalConfig(options: { seed?: number; quick?: boolean; split?: string; timeline?: boolean; stage?: number }): EvalConfig {
  const base = structuredClone(DEFAULT_EVAL_CONFIG);
  const split = options.split ?? base.split;
  if (split !== 'test' && split !== 'train') throw new FixEvalConfigError(`--split takes test (held-out pairs, the metric) or train (pairs the model trained on, a diagnostic); got "${split}".`);
  const stage = options.stage ?? null;
  if (stage !== null && !(Number.isInteger(stage) && stage >= 0)) throw new FixEvalConfigError(`--stage takes a stage index (0 is the first, 64 px stage); got "${stage}".`);
  const cfg: EvalConfig = { ...base, seed: options.seed ?? base.seed, quick: options.quick ?? false, split, scoredStage: stage };
  if (cfg.quick) Object.assign(cfg, structuredClone(QUICK_OVERRIDES));
  if (options.timeline) Object.assign(cfg, { maxCheckpoints: TIMELINE_MAX_CHECKPOINTS, checkpointPairs: cfg.maxEvalPairs });
  validateEvalConfig(cfg);
  return cfg;
}

export function validateEvalConfig(cfg: EvalConfig): void {
  const positiveInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new FixEvalConfigError(`Eval config ${name} must be a positive integer, got ${v}.`);
  };
  if (!Number.isInteger(cfg.seed) || cfg.seed < 0 || cfg.seed > 2 ** 31 - 1) throw new FixEvalConfigError(`--seed must be an integer from 0 to 2^31-1, got ${cfg.seed}.`);
  for (const [k, v] of Object.entries({ ...pick(cfg.evaluator, 'evaluator'), ...pick(cfg.classifier, 'classifier') })) positiveInt(k, v);
  if (cfg.rPrecision.candidates < 2) throw new FixEvalConfigError('rPrecision.candidates must be at least 2 (the true caption plus mismatched ones).');
  positiveInt('rPrecision.splits', cfg.rPrecision.splits);
  positiveInt('templateJudgeMembers', cfg.templateJudgeMembers);
  positiveInt('evaluatorMembers', cfg.evaluatorMembers);
  positiveInt('maxEvalPairs', cfg.maxEvalPairs);
  positiveInt('captionsPerRecord', cfg.captionsPerRecord);
  positiveInt('maxCheckpoints', cfg.maxCheckpoints);
  positiveInt('checkpointPairs', cfg.checkpointPairs);
  positiveInt('diversity.texts', cfg.diversity.texts);
  if (cfg.diversity.seeds < 2) throw new FixEvalConfigError('diversity.seeds must be at least 2: diversity compares outputs of different seeds.');
  for (const [k, v] of Object.entries(cfg.grid)) positiveInt(`grid.${k}`, v);
  for (const net of [cfg.evaluator, cfg.classifier]) {
    if (!(net.learningRate > 0 && net.learningRate < 1)) throw new FixEvalConfigError(`learningRate must be in (0, 1), got ${net.learningRate}.`);
    if (!(net.weightDecay >= 0)) throw new FixEvalConfigError(`weightDecay must be ≥ 0, got ${net.weightDecay}.`);
  }
  if (!(cfg.evaluator.gamma > 0)) throw new FixEvalConfigError(`evaluator.gamma must be > 0, got ${cfg.evaluator.gamma}.`);
}

function pick(net: NetworkTraining & Partial<EvalConfig['evaluator']>, prefix: string): Record<string, number> {
  const out: Record<string, number> = { [`${prefix}.hidden`]: net.hidden, [`${prefix}.epochs`]: net.epochs, [`${prefix}.batch`]: net.batch };
  if (net.embedDim !== undefined) out[`${prefix}.embedDim`] = net.embedDim;
  if (net.minNgramCount !== undefined) out[`${prefix}.minNgramCount`] = net.minNgramCount;
  return out;
}

/** Up to `max` indices of 0..count-1, evenly spaced, always with the first and the last. */
export function spacedIndices(count: number, max: number): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  if (max === 1) return [count - 1];
  return [...new Set(Array.from({ length: max }, (_, k) => Math.round((k * (count - 1)) / (max - 1))))];
}
