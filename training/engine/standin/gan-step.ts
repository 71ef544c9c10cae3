import * as tf from '@tensorflow/tfjs-core';
import { standInConfig, type StandInConfig } from './config';
import { discriminator, discriminatorSpecs } from './discriminator';
import { generator, generatorSpecs } from './generator';
import type { ParamMap } from './layers';
import { UPDATES_APPLIED, type GradientContext, type GradientResult } from '../parallel/protocol';

/**
 * The stand-in GAN's gradient module: what a DataParallelTrainer worker (or the local runner)
 * imports. Phases: 'D' (discriminator step), 'D+R1' (with an R1 penalty), 'G' (generator step).
 * Non-saturating logistic loss, as in StyleGAN and most text-to-image GANs.
 */
let config: StandInConfig = standInConfig();

export function setup(options: Partial<StandInConfig> = {}): void {
  config = standInConfig(options);
}

export interface GanBatch {
  template: tf.Tensor4D; // [B, R, R, 3]
  real: tf.Tensor4D; // [B, R, R, 3]
  words: tf.Tensor2D; // [B, T] int32
  noise: tf.Tensor2D; // [B, embedDim]
}

export const R1_GAMMA = 10;

export function computeGradients(params: ParamMap, batch: Record<string, tf.Tensor>, phase: string, context: GradientContext = UPDATES_APPLIED): GradientResult {
  const b = batch as unknown as GanBatch;
  if (phase === 'G') return generatorStep(params, b, context);
  if (phase === 'D' || phase === 'D+R1') return discriminatorStep(params, b, phase === 'D+R1');
  throw new Error(`Stand-in GAN: unknown phase "${phase}"; use 'D', 'D+R1' or 'G'.`);
}

function namesOf(prefix: 'g/' | 'd/'): string[] {
  const specs = prefix === 'g/' ? generatorSpecs(config) : discriminatorSpecs(config);
  return specs.map((s) => s.name);
}

function discriminatorStep(params: ParamMap, b: GanBatch, withR1: boolean): GradientResult {
  const fake = generator(params, config, b); // [B, R, R, 3], not differentiated in this step
  const names = namesOf('d/');
  const lossFn = (...dParams: tf.Tensor[]) => {
    const p = { ...params, ...Object.fromEntries(names.map((n, i) => [n, dParams[i]])) };
    const images = tf.concat([b.real, fake], 0); // [2B, R, R, 3]
    const logits = discriminator(p, config, images, tf.concat([b.words, b.words], 0) as tf.Tensor2D); // [2B]
    const [realLogits, fakeLogits] = tf.split(logits, 2);
    let loss = tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits)));
    if (withR1) loss = tf.add(loss, tf.mul(r1Penalty(p, b), R1_GAMMA / 2));
    return loss as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(lossFn)(names.map((n) => params[n]));
  return { grads: Object.fromEntries(names.map((n, i) => [n, grads[i]])), losses: { d: value } };
}

/** R1: mean over real samples of ‖∇ₓ D(x)‖², differentiable in D's parameters. */
export function r1Penalty(p: ParamMap, b: GanBatch): tf.Scalar {
  const gradReal = tf.grad((x: tf.Tensor) => tf.sum(discriminator(p, config, x as tf.Tensor4D, b.words)))(b.real);
  return tf.mean(tf.sum(tf.square(gradReal), [1, 2, 3]));
}

/**
 * G's forward pass reads only G's parameters, which the D step before it does not change, so it
 * runs before `previousStepApplied`: in ReplicatedTrainer it overlaps the D step's barrier and update.
 */
function generatorStep(params: ParamMap, b: GanBatch, context: GradientContext): GradientResult {
  const names = namesOf('g/');
  const lossFn = (...gParams: tf.Tensor[]) => {
    const p = { ...params, ...Object.fromEntries(names.map((n, i) => [n, gParams[i]])) };
    const fake = generator(p, config, b); // [B, R, R, 3]
    context.previousStepApplied(); // D's parameters are read from here on
    const logits = discriminator(p, config, fake, b.words); // [B]
    return tf.mean(tf.softplus(tf.neg(logits))) as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(lossFn)(names.map((n) => params[n]));
  return { grads: Object.fromEntries(names.map((n, i) => [n, grads[i]])), losses: { g: value } };
}
