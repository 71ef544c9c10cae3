import * as tf from '@tensorflow/tfjs-core';

export interface KernelTime {
  /** Kernel name, with ' < Parent' when a composite kernel called it. */
  kernel: string;
  calls: number;
  /** Exclusive: time inside kernels this one called is charged to them. */
  ms: number;
}

/**
 * Times every kernel of the active backend while `fn` runs (wasm kernels are synchronous, so
 * wall time around the call is the kernel's time). For finding where a training step goes.
 */
export function profileKernels(fn: () => void): KernelTime[] {
  const session = startKernelProfile();
  try {
    fn();
  } finally {
    session.stop();
  }
  return session.times();
}

/** The same for an async `fn` (e.g. a runner's computeGradients): no other tfjs work may run meanwhile. */
export async function profileKernelsAsync(fn: () => Promise<void>): Promise<KernelTime[]> {
  const session = startKernelProfile();
  try {
    await fn();
  } finally {
    session.stop();
  }
  return session.times();
}

function startKernelProfile(): { stop: () => void; times: () => KernelTime[] } {
  const backendName = tf.getBackend();
  const originals = tf.getKernelsForBackend(backendName);
  const totals = new Map<string, KernelTime>();
  const stack: number[] = []; // child time accumulated per open kernel
  const names: string[] = [];
  for (const k of originals) {
    tf.unregisterKernel(k.kernelName, backendName);
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        stack.push(0);
        const key = names.length > 0 ? `${k.kernelName} < ${names[0]}` : k.kernelName;
        names.push(k.kernelName);
        const t0 = performance.now();
        try {
          return k.kernelFunc(args);
        } finally {
          const total = performance.now() - t0;
          const children = stack.pop() as number;
          names.pop();
          if (stack.length > 0) stack[stack.length - 1] += total;
          const entry = totals.get(key) ?? { kernel: key, calls: 0, ms: 0 };
          entry.calls++;
          entry.ms += total - children;
          totals.set(key, entry);
        }
      },
    });
  }
  const stop = () => {
    for (const k of originals) {
      tf.unregisterKernel(k.kernelName, backendName);
      tf.registerKernel(k);
    }
  };
  return { stop, times: () => [...totals.values()].sort((a, b) => b.ms - a.ms) };
}
