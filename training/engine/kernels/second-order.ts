import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradients tfjs-core does not define, which a gradient penalty (R1, MA-GP, WGAN-GP) needs
 * because it differentiates through a first-order backward pass.
 *
 * Comparisons appear in ReLU/LeakyReLU backward passes as masks; they are piecewise constant,
 * so their gradient is zero. The *Grad kernels are linear in dy, so their gradient with respect
 * to dy is the forward op applied to the incoming gradient (the adjoint of an adjoint).
 */
const PIECEWISE_CONSTANT_BINARY = [
  tf.Greater,
  tf.GreaterEqual,
  tf.Less,
  tf.LessEqual,
  tf.Equal,
  tf.NotEqual,
  tf.LogicalAnd,
  tf.LogicalOr,
];

export function registerSecondOrderGradients(): string[] {
  const added: string[] = [];
  const add = (config: tf.GradConfig) => {
    if (tf.getGradient(config.kernelName) !== undefined) return;
    tf.registerGradient(config);
    added.push(config.kernelName);
  };
  for (const kernelName of PIECEWISE_CONSTANT_BINARY) add(zeroGradient(kernelName, ['a', 'b']));
  add(zeroGradient(tf.LogicalNot, ['x']));
  add(avgPoolGradGradient);
  add(resizeNearestGradGradient);
  add(resizeBilinearGradGradient);
  return added;
}

function zeroGradient(kernelName: string, inputNames: string[]): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: inputNames,
    gradFunc: (_dy, saved) => {
      const grads: Record<string, () => tf.Tensor> = {};
      inputNames.forEach((name, i) => (grads[name] = () => tf.zerosLike(saved[i])));
      return grads;
    },
  };
}

/** AvgPoolGrad(dy, input) is linear in dy; its adjoint is avgPool itself. */
const avgPoolGradGradient: tf.GradConfig = {
  kernelName: tf.AvgPoolGrad,
  inputsToSave: ['input'],
  gradFunc: (ddx, saved, attrs) => {
    const [input] = saved;
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.AvgPoolGradAttrs & {
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    return {
      dy: () => tf.avgPool(ddx as tf.Tensor4D, filterSize, strides, pad as 'valid' | 'same', dimRoundingMode),
      input: () => tf.zerosLike(input),
    };
  },
};

type Resize = (images: tf.Tensor4D, size: [number, number], alignCorners?: boolean, halfPixelCenters?: boolean) => tf.Tensor4D;

/** A resize's gradient kernel (images, dy) is the resize's adjoint; the adjoint of that is the resize again. */
function resizeGradGradient(kernelName: string, resize: Resize): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['images', 'dy'],
    gradFunc: (ddx, saved, attrs) => {
      const [images, dy] = saved;
      const { alignCorners, halfPixelCenters } = attrs as unknown as tf.ResizeBilinearAttrs;
      const size: [number, number] = [dy.shape[1] as number, dy.shape[2] as number];
      return {
        dy: () => resize(ddx as tf.Tensor4D, size, alignCorners, halfPixelCenters),
        images: () => tf.zerosLike(images),
      };
    },
  };
}

const resizeNearestGradGradient = resizeGradGradient(tf.ResizeNearestNeighborGrad, tf.image.resizeNearestNeighbor);
const resizeBilinearGradGradient = resizeGradGradient(tf.ResizeBilinearGrad, tf.image.resizeBilinear);
