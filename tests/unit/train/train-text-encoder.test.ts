import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { listCheckpoints, listDamsmCheckpoints, loadExportWeights, readWeights } from '../../../training/train/checkpoint';
import { train } from '../../../training/train/trainer';
import { backend, eightImages, tinyConfig, tmpRuns } from './helpers';

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe('gan.trainTextEncoder', () => {
  beforeAll(async () => {
    await backend();
  });

  it.each([false, true])('trainTextEncoder %s: the text encoder is frozen after DAMSM, or trained by G with an EMA that starts from DAMSM', async (trainText) => {
    const cfg = tinyConfig((c) => {
      c.gan.trainTextEncoder = trainText;
      c.damsm.epochs = 2;
      c.gan.epochs = 3;
    });
    const r = await train({ config: cfg, data: await eightImages(cfg), runsRoot: tmpRuns(), quiet: true });
    expect(r.stopped).toBe('done');
    const damsm = readWeights(listDamsmCheckpoints(r.runDir).pop()!.dir, 'params').get('text/embed')!.values;
    const last = listCheckpoints(r.runDir).pop()!.dir;
    const live = readWeights(last, 'params').get('text/embed')!.values;
    const exported = loadExportWeights(last).get('text/embed')!.values;
    if (!trainText) {
      expect(maxDiff(live, damsm)).toBe(0);
      expect(maxDiff(exported, damsm)).toBe(0);
    } else {
      expect(maxDiff(live, damsm)).toBeGreaterThan(1e-4);
      // EMA (decay 0.9 over 6 steps) lies between the DAMSM weights and the live ones, never at a random init.
      expect(maxDiff(exported, live)).toBeGreaterThan(0);
      expect(maxDiff(exported, damsm)).toBeLessThan(maxDiff(live, damsm) * 1.0001);
    }
    expect(join(last)).toContain('epoch_0003');
  }, 120_000);
});
