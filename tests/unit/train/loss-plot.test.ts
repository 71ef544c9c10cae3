import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { legendLayout, lineStyle, lossPlotPng, smooth } from '../../../training/report/loss-plot';

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
});
