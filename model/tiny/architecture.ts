import type { Architecture } from '../architecture';
import type { TinyConfig } from './config';
import { TINY_IMAGE_SIZE } from './config';
import { tinyGenerator, tinyTextEncoder } from './generator';

/** The spine's tiny model as browser graphs: text encoder + one 64 px stage. */
export const tinyArchitecture: Architecture<TinyConfig> = {
  name: 'tiny',
  textEncoder: {
    id: 'text_encoder',
    inputs: (cfg) => [
      { name: 'token_ids', shape: [-1, cfg.maxTokens], dtype: 'int32' },
      { name: 'token_mask', shape: [-1, cfg.maxTokens] },
    ],
    build: (o, p, cfg, x) => tinyTextEncoder(o, p, cfg, { tokenIds: x.token_ids, tokenMask: x.token_mask }),
  },
  stages: [
    {
      id: 'stage_64',
      size: TINY_IMAGE_SIZE,
      inputs: (cfg) => [
        { name: 'sentence', shape: [-1, cfg.embedDim] },
        { name: 'noise', shape: [-1, cfg.zDim] },
        { name: `template_${TINY_IMAGE_SIZE}`, shape: [-1, TINY_IMAGE_SIZE, TINY_IMAGE_SIZE, 3] },
      ],
      build: (o, p, cfg, x) => ({
        [`image_${TINY_IMAGE_SIZE}`]: tinyGenerator(o, p, cfg, {
          sentence: x.sentence,
          noise: x.noise,
          template: x[`template_${TINY_IMAGE_SIZE}`],
        }),
      }),
    },
  ],
};
