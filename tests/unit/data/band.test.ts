import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_CONFIG } from '../../../training/data/config';
import { detectCaptionBands } from '../../../training/data/images/band';
import { memeSvg, svgToRgb } from './helpers';

const options = DEFAULT_DATA_CONFIG.band;

describe('caption-band cropping', () => {
  it('crops a text band on white below the face', async () => {
    const { rgb, width, height } = await svgToRgb(memeSvg('white-bottom'));
    const crop = detectCaptionBands(rgb, width, height, options);
    expect(crop.removedTop).toBe(0);
    // face ends at row 190, text starts at 215: the cut is in that gap
    expect(crop.bottom).toBeGreaterThanOrEqual(190);
    expect(crop.bottom).toBeLessThanOrEqual(215);
  });

  it('crops a solid black band with white text above the face', async () => {
    const { rgb, width, height } = await svgToRgb(memeSvg('black-top'));
    const crop = detectCaptionBands(rgb, width, height, options);
    expect(crop.top).toBeGreaterThanOrEqual(58);
    expect(crop.top).toBeLessThanOrEqual(80);
    expect(crop.removedBottom).toBe(0);
  });

  it('leaves an image without a band alone, even with a halo above the face', async () => {
    for (const svg of [memeSvg('none'), memeSvg('none', true)]) {
      const { rgb, width, height } = await svgToRgb(svg);
      expect(detectCaptionBands(rgb, width, height, options)).toEqual({ top: 0, bottom: height, removedTop: 0, removedBottom: 0 });
    }
  });
});
