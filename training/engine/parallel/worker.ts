/**
 * A training worker thread: its own tfjs engine and wasm backend (one core), one gradient
 * module. For DataParallelTrainer, parameters arrive through a shared buffer and gradients leave
 * through another; for ReplicatedTrainer, it keeps a Replica (its own parameters and Adam).
 */
import * as tf from '@tensorflow/tfjs-core';
import { parentPort } from 'node:worker_threads';
import { selectTrainingBackend } from '../backend';
import { fromWire, readParams, writeGradients } from './layout';
import { loadGradientModule } from './load-module';
import { runGradientStep } from './local-runner';
import { Replica } from './replica';
import type { FromWorker, GradientModule, ParamLayout, TensorMap, ToWorker } from './protocol';

interface WorkerState {
  mod?: GradientModule;
  layout?: ParamLayout;
  params?: Float32Array;
  grads?: Float32Array;
  /** Tensors of the shared parameters, kept across steps and re-read only when they change. */
  paramTensors: TensorMap;
  /** ReplicatedTrainer mode: this worker's own copy of the parameters and optimizers. */
  replica?: Replica;
}

const state: WorkerState = { paramTensors: {} };
const port = parentPort;
if (port === null) throw new Error('training/engine/parallel/worker.ts must run as a worker thread; create a DataParallelTrainer instead.');

port.on('message', (msg: ToWorker) => {
  handle(msg).then(
    (reply) => reply && port.postMessage(reply),
    (e: unknown) => port.postMessage({ kind: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies FromWorker),
  );
});

async function handle(msg: ToWorker): Promise<FromWorker | null> {
  if (msg.kind === 'init') {
    const backend = await selectTrainingBackend({ log: () => {} });
    state.mod = await loadGradientModule(msg.modulePath, msg.moduleOptions);
    return { kind: 'ready', backend: backend.name };
  }
  if (msg.kind === 'layout') {
    tf.dispose(Object.values(state.paramTensors));
    state.paramTensors = {};
    state.layout = msg.layout;
    state.params = new Float32Array(msg.params);
    state.grads = new Float32Array(msg.grads);
    return null;
  }
  if (msg.kind === 'replicate') {
    state.replica?.dispose();
    state.replica = new Replica(msg);
    return null;
  }
  if (msg.kind === 'train') {
    if (!state.mod || !state.replica) throw new Error('Worker got a train request before init and replicate.');
    const { losses, timings } = state.replica.train(state.mod, msg);
    return { kind: 'trained', losses, timings, numTensors: tf.memory().numTensors };
  }
  if (msg.kind === 'write-params') {
    if (!state.replica) throw new Error('Worker got write-params before replicate.');
    state.replica.writeParams();
    return { kind: 'params-written' };
  }
  return step(msg.phase, msg.batch, msg.changed);
}

function step(phase: string, wireBatch: Extract<ToWorker, { kind: 'step' }>['batch'], changed: string[]): FromWorker {
  const { mod, layout, params, grads } = state;
  if (!mod || !layout || !params || !grads) throw new Error('Worker got a step before init and layout.');
  tf.dispose(changed.map((n) => state.paramTensors[n]).filter((t) => t !== undefined));
  Object.assign(state.paramTensors, readParams(layout, params, changed));
  const paramTensors = state.paramTensors;
  const batch = Object.fromEntries(Object.entries(wireBatch).map(([n, w]) => [n, fromWire(w)]));
  try {
    const result = runGradientStep(mod, paramTensors, batch, phase);
    const gradNames = Object.keys(result.grads);
    writeGradients(layout, result.grads, grads, gradNames);
    tf.dispose(result.grads);
    return { kind: 'done', gradNames, losses: result.losses };
  } finally {
    tf.dispose(batch);
  }
}
