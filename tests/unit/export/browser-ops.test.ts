import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
import { describe, expect, it } from 'vitest';
import { getArchitecture } from '../../../model/registry';
import { recordGraph } from '../../../training/export/record';
import { initialWeights } from '../../../training/export/random-weights';
import { ARCHITECTURE_TEST_CONFIGS } from './architecture-configs';

const require = createRequire(import.meta.url);

/** Every TF op name tfjs-converter can map (its op_list files). */
function converterOps(): Set<string> {
  const dir = join(require.resolve('@tensorflow/tfjs-converter/dist/operations/op_list/arithmetic.js'), '..');
  const ops = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.js') && !x.endsWith('.d.js'))) {
    const mod = require(join(dir, f)) as { json?: { tfOpName: string }[] };
    for (const op of mod.json ?? []) ops.add(op.tfOpName);
  }
  return ops;
}

// TF op → the tfjs kernel the converter dispatches it to, where the names differ.
const KERNEL_OF: Record<string, string> = {
  AddV2: 'Add',
  BiasAdd: 'Add',
  MatMul: 'BatchMatMul',
  BatchMatMulV2: 'BatchMatMul',
  ConcatV2: 'Concat',
  Mul: 'Multiply',
};
const NO_KERNEL = new Set(['Placeholder', 'Const', 'Identity']);

// Config variants whose graphs use other ops than the architecture's test config.
const VARIANTS: [string, string, object][] = [
  ...Object.keys(ARCHITECTURE_TEST_CONFIGS).map((name): [string, string, object] => [name, name, ARCHITECTURE_TEST_CONFIGS[name]]),
  ['memeface (palette blend)', 'memeface', { ...ARCHITECTURE_TEST_CONFIGS.memeface, blend: 'palette' }],
  ['memeface (palette blend without the free colour)', 'memeface', { ...ARCHITECTURE_TEST_CONFIGS.memeface, blend: 'palette-ink' }],
  ['memeface (mask blend with colours relative to the template)', 'memeface', { ...ARCHITECTURE_TEST_CONFIGS.memeface, blend: 'mask-relative' }],
  ['memeface (mask blend that only shades the template)', 'memeface', { ...ARCHITECTURE_TEST_CONFIGS.memeface, blend: 'mask-shade' }],
  ['memeface (shading plus a gated free colour)', 'memeface', { ...ARCHITECTURE_TEST_CONFIGS.memeface, blend: 'mask-shade-colour' }],
  ['memeface (shading between the template\'s ink and fill plus a gated free colour)', 'memeface', { ...ARCHITECTURE_TEST_CONFIGS.memeface, blend: 'mask-shade-colour', shadeInk: true, shadeFill: true }],
];

describe.each(VARIANTS)('the %s architecture exports only browser-runnable ops', (_label, name, cfg) => {
  it('every node is mapped by tfjs-converter and has a WebGPU kernel', async () => {
    await tf.setBackend('cpu');
    const arch = getArchitecture(name);
    const weights = await initialWeights(arch, cfg, 1);
    const mapped = converterOps();
    const webgpu = new Set(tf.getKernelsForBackend('webgpu').map((k) => k.kernelName));
    const used = new Set<string>();
    for (const spec of [arch.textEncoder, ...arch.stages]) {
      const g = recordGraph(spec.inputs(cfg), weights, (o, p, x) => void spec.build(o, p, cfg, x));
      for (const n of g.nodes) used.add(n.op);
    }
    const unmapped = [...used].filter((op) => !mapped.has(op));
    const noKernel = [...used].filter((op) => !NO_KERNEL.has(op) && !webgpu.has(KERNEL_OF[op] ?? op));
    expect(unmapped).toEqual([]);
    expect(noKernel).toEqual([]);
  });
});
