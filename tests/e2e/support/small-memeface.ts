import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { MemeFaceConfig } from '../../../model/memeface/config';
import { exportRandomModel } from '../../../training/export/random-export';

/** The paper's setting, or the improvements switched on (FiLM fusion, U-Net path, mask blend). */
export type SmallMemeFaceSetting = 'paper' | 'improved';

const SETTINGS: Record<SmallMemeFaceSetting, Pick<MemeFaceConfig, 'fusion' | 'templateSkip' | 'blend' | 'resBlocks'>> = {
  paper: { fusion: 'concat', templateSkip: false, blend: 'none', resBlocks: 1 },
  improved: { fusion: 'film', templateSkip: true, blend: 'mask', resBlocks: 0 },
};

/**
 * A float16 random-weight export of the real architecture at full size (64/128/256 stages with
 * word attention) but few channels, into a temporary folder: the real graphs, fast to run.
 */
export async function exportSmallMemeFace(setting: SmallMemeFaceSetting): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'memeface-model-'));
  await tf.setBackend('cpu'); // the exporter records graphs after one eager pass in Node
  const cfg: Omit<MemeFaceConfig, 'vocabSize' | 'maxTokens'> = {
    wordDim: 16, textDim: 16, caDim: 8, zDim: 16,
    imageSizes: [64, 128, 256], channels: [16, 8, 8], editChannels: [12, 8, 8], editDown: 2,
    ndf: 8, damsmChannels: 8, damsmImageSize: 32,
    ...SETTINGS[setting],
  };
  await exportRandomModel<MemeFaceConfig>('memeface', cfg, dir, 'float16');
  return dir;
}
