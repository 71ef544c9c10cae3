import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { epochAxis, legendLayout, lineStyle, lossPlotPng, smooth } from '../../../training/report/loss-plot';

describe('loss plot', () => {
  it('smooths with a trailing moving average', () => {
    expect(smooth([[0, 0], [1, 2], [2, 4], [3, 6]], 2)).toEqual([[0, 0], [1, 1], [2, 3], [3, 5]]);
  });

  it('renders one panel per key in a grid, with each run drawn in its own colour', () => {
    const run = (label: string, k: number) => ({ label, series: { a: [[0, 1], [10, 0.5 * k]] as [number, number][], b: [[0, 2], [10, 3]] as [number, number][] } });
    const png = PNG.sync.read(lossPlotPng([run('one', 1), run('two', 2)], ['a', 'b', 'c', 'd'], 2));
    expect([png.width, png.height]).toEqual([640, 2 * 200 + 24]);
    // The legend swatches: red for the first run, blue for the second.
    const at = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3));
    expect(at(15, 14)).toEqual([0xd6, 0x27, 0x28]);
    expect(at(175, 14)).toEqual([0x1f, 0x77, 0xb4]);
  });

  it('gives thirty runs thirty different line styles (the attempts plot has more than ten)', () => {
    const styles = Array.from({ length: 30 }, (_, i) => lineStyle(i));
    expect(new Set(styles).size).toBe(30);
  });

  it('gives long run names legend slots wide enough not to overlap, on more rows', () => {
    const short = legendLayout(['a', 'b'], 960);
    expect(short).toEqual({ slot: 160, perRow: 5 });
    const long = legendLayout(['default-shade-colour40-ink-recon200-colour200', 'x'], 960);
    expect(long.slot).toBeGreaterThanOrEqual(7 * 'default-shade-colour40-ink-recon200-colour200'.length);
    expect(long.perRow).toBe(2);
    expect(legendLayout(['y'.repeat(400)], 960).perRow).toBe(1);
  });

  it('maps steps to epochs stretch by stretch, so a warm start that doubled the batch lines up by epoch', () => {
    // 100 steps an epoch to epoch 75 (batch 14), then 50 (batch 28): BO's log.
    const toEpoch = epochAxis([{ step: 7500, epoch: 75 }, { step: 7750, epoch: 80 }, { step: 8000, epoch: 85 }]);
    expect(toEpoch(7500)).toBe(75);
    expect(toEpoch(7510)).toBeCloseTo(75.2, 10);
    expect(toEpoch(7900)).toBeCloseTo(83, 10);
    expect(toEpoch(8100)).toBeCloseTo(87, 10); // past the last anchor: the last stretch's rate
    const fromScratch = epochAxis([{ step: 0, epoch: 0 }, { step: 500, epoch: 5 }]);
    expect(fromScratch(250)).toBeCloseTo(2.5, 10);
    const changed = epochAxis([{ step: 0, epoch: 0 }, { step: 500, epoch: 5 }, { step: 750, epoch: 10 }]);
    expect(changed(600)).toBeCloseTo(7, 10);
    expect(epochAxis([])(10)).toBeNaN();
  });

  it('labels the x axis with what it is', () => {
    const run = { label: 'one', series: { a: [[75, 1], [110, 0.5]] as [number, number][] } };
    expect(lossPlotPng([run], ['a'], 1, 'epoch').equals(lossPlotPng([run], ['a'], 1, 'step'))).toBe(false);
  });
});
