import * as tf from '@tensorflow/tfjs-core';

export interface FlatAdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  /** Default: the backend's epsilon, as tf.train.adam. */
  epsilon?: number;
}

/**
 * Adam with the update of tf.train.adam (Kingma & Ba, alg. 1), on one flat buffer per network:
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²,  θ ← θ − lr·m̂ / (√v̂ + ε),
 *   m̂ = m / (1 − β1ᵗ),  v̂ = v / (1 − β2ᵗ).
 *
 * tf.train.adam runs ~13 ops per variable (about 500 kernel calls for a 38-variable GAN
 * network); here the gradients are concatenated once and the moments are flat tensors, so a
 * step is one concat, 8 full-length ops (11 with β1 > 0) and a slice and a subtraction per
 * variable. The ops are memory-bound on wasm (~1.5 ns per element at 1.9M parameters), so the
 * pass count is the cost. The variable set is fixed by the first call.
 */
export class FlatAdam {
  private names: string[] | null = null;
  private m: tf.Variable | null = null;
  private v: tf.Variable | null = null;
  private step = 0;
  private readonly epsilon: number;

  constructor(private readonly settings: FlatAdamSettings) {
    this.epsilon = settings.epsilon ?? tf.backend().epsilon();
  }

  /** Updates the registered tf.Variables named by the keys of `grads`. */
  applyGradients(grads: Record<string, tf.Tensor>): void {
    const names = this.layoutFor(Object.keys(grads), (n) => grads[n].size);
    tf.tidy(() => this.update(names, tf.concat(names.map((n) => tf.reshape(grads[n], [-1])))));
  }

  /**
   * The same update from a gradient that is already flat: `flat` [N] is the concatenation of the
   * gradients of `names` (sorted by name, as applyGradients orders them). Saves the concat when
   * the gradients arrive as one buffer, as in ReplicatedTrainer's workers.
   */
  applyFlatGradient(names: string[], flat: tf.Tensor1D): void {
    const sorted = this.layoutFor(names, (n) => registeredVariable(n).size);
    if (sorted.some((n, i) => n !== names[i])) throw new Error('FlatAdam.applyFlatGradient: names must be sorted, in the order of the flat gradient.');
    const total = sorted.reduce((a, n) => a + registeredVariable(n).size, 0);
    if (flat.size !== total) throw new Error(`FlatAdam.applyFlatGradient: the flat gradient has ${flat.size} entries; the variables have ${total}.`);
    tf.tidy(() => this.update(sorted, flat));
  }

  /** One Adam step from g [N], the variables' gradients end to end. Runs inside the caller's tidy. */
  private update(names: string[], g: tf.Tensor1D): void {
    const vars = names.map((n) => registeredVariable(n));
    const { beta1: b1, beta2: b2, learningRate: lr } = this.settings;
    this.step++;
    const c1 = 1 - b1 ** this.step;
    const c2 = 1 - b2 ** this.step;
    // With β1 = 0 (the usual GAN setting) m is just g: no first-moment buffer at all.
    const m2 = this.m === null ? g : tf.add(tf.mul(this.m, b1), tf.mul(g, 1 - b1));
    const v2 = tf.add(tf.mul(this.v as tf.Variable, b2), tf.mul(tf.square(g), 1 - b2));
    if (this.m !== null) this.m.assign(m2);
    (this.v as tf.Variable).assign(v2);
    // lr·m̂ / (√v̂ + ε) = (lr·√c2 / c1) · m / (√v + ε·√c2): the bias corrections folded into
    // scalars, so the step costs four full-length passes (these ops are memory-bound here).
    const update = tf.mul(tf.div(m2, tf.add(tf.sqrt(v2), this.epsilon * Math.sqrt(c2))), (lr * Math.sqrt(c2)) / c1); // [N]
    let offset = 0;
    vars.forEach((variable) => {
      const part = tf.reshape(tf.slice(update, [offset], [variable.size]), variable.shape);
      variable.assign(tf.sub(variable, part));
      offset += variable.size;
    });
  }

  dispose(): void {
    tf.dispose([this.m, this.v].filter((t): t is tf.Variable => t !== null));
    this.m = this.v = null;
  }

  private layoutFor(keys: string[], sizeOf: (name: string) => number): string[] {
    const names = [...keys].sort();
    if (this.names === null) {
      const total = names.reduce((a, n) => a + sizeOf(n), 0);
      this.names = names;
      const zeros = tf.zeros([total]);
      this.m = this.settings.beta1 === 0 ? null : tf.variable(zeros, false);
      this.v = tf.variable(zeros, false);
      zeros.dispose();
      return names;
    }
    checkSameVariables(names, this.names, 'FlatAdam');
    return names;
  }
}

/** Throws unless `names` (sorted) are the variable set an optimizer fixed on its first step. */
export function checkSameVariables(names: string[], first: string[], optimizer: string): void {
  if (names.length !== first.length || names.some((n, i) => n !== first[i])) {
    throw new Error(
      `${optimizer} got gradients for a different set of variables than on its first step (${names.length} vs ${first.length}); use one ${optimizer} per network.`,
    );
  }
}

export function registeredVariable(name: string, optimizer = 'FlatAdam'): tf.Variable {
  const variable = tf.engine().registeredVariables[name];
  if (variable === undefined) throw new Error(`${optimizer}: no tf.Variable is named "${name}"; name gradients after their variables.`);
  return variable;
}
