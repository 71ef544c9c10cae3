import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listCheckpoints, readRunConfig, readWeights } from '../../../training/train/checkpoint';
import { ConfigError } from '../../../training/train/config';
import { train } from '../../../training/train/trainer';
import { backend, eightImages, tinyConfig, tmpRuns } from './helpers';

/** The tiny config with 1 DAMSM epoch and `ganEpochs` GAN epochs. */
const epochsConfig = (ganEpochs: number) =>
  tinyConfig((c) => {
    c.damsm.epochs = 1;
    c.gan.epochs = ganEpochs;
  });

/** A finished run of `epochsConfig(ganEpochs)` on the eight images. */
async function shortRun(ganEpochs: number) {
  const base = epochsConfig(ganEpochs);
  const data = await eightImages(base);
  const short = await train({ config: base, data, runsRoot: tmpRuns(), quiet: true });
  return { base, data, short };
}

describe('extending a run (--resume <run> --gan-epochs N)', () => {
  beforeAll(async () => {
    await backend();
  });

  it('2 GAN epochs, then extended to 3, gives the weights of 3 epochs straight; config.json and the log record it', async () => {
    const { base, data, short } = await shortRun(2);
    await expect(train({ config: base, data, resumeDir: short.runDir, extendGanEpochs: 2, quiet: true })).rejects.toThrow(ConfigError);
    const extended = await train({ config: base, data, resumeDir: short.runDir, extendGanEpochs: 3, quiet: true });
    expect(extended.stopped).toBe('done');
    const straightCfg = epochsConfig(3);
    const straight = await train({ config: straightCfg, data, runsRoot: tmpRuns(), quiet: true });
    const a = readWeights(listCheckpoints(extended.runDir).pop()!.dir, 'params');
    const b = readWeights(listCheckpoints(straight.runDir).pop()!.dir, 'params');
    expect(listCheckpoints(extended.runDir).map((c) => c.epoch)).toEqual([1, 2, 3]);
    let maxDiff = 0;
    for (const [k, w] of a) w.values.forEach((x, i) => (maxDiff = Math.max(maxDiff, Math.abs(x - b.get(k)!.values[i]))));
    expect(maxDiff).toBeLessThanOrEqual(1e-5);
    expect(JSON.parse(readFileSync(join(extended.runDir, 'config.json'), 'utf8')).gan.epochs).toBe(3);
    expect(readFileSync(join(extended.runDir, 'log.jsonl'), 'utf8')).toContain('"event":"extend","ganEpochs":{"from":2,"to":3}');
  }, 180_000);

  it('an extension killed before its first checkpoint resumes without --gan-epochs', async () => {
    const { base, data, short } = await shortRun(1);
    const killed = await train({ config: base, data, resumeDir: short.runDir, extendGanEpochs: 2, maxSteps: 1, quiet: true });
    expect(killed.stopped).toBe('maxSteps');
    const saved = readRunConfig(short.runDir); // already says 2 epochs; the last checkpoint was written under 1
    expect(saved.gan.epochs).toBe(2);
    const resumed = await train({ config: saved, data, resumeDir: short.runDir, quiet: true });
    expect(resumed.stopped).toBe('done');
    expect(listCheckpoints(short.runDir).map((c) => c.epoch)).toEqual([1, 2]);
  }, 180_000);
});
