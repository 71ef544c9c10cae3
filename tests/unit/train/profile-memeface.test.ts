import { afterEach, describe, expect, it, vi } from 'vitest';
import { runProfileCli } from '../../../training/engine/bench/profile-cli';
import { backend } from './helpers';

const subjects = { memeface: new URL('../../../training/train/bench-subject.ts', import.meta.url).href };

afterEach(() => vi.restoreAllMocks());

describe('profile:train --model memeface', () => {
  it('refuses a model it has no subject for, naming the ones it has', async () => {
    await expect(runProfileCli(['--model', 'attngan'], subjects)).rejects.toThrow(/--model takes standin, memeface; got "attngan"/);
  });

  it("profiles the trainer's own GAN step kernel by kernel", async () => {
    await backend();
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...xs: unknown[]) => void lines.push(xs.join(' ')));
    await runProfileCli(['--model', 'memeface', '--size', '64', '--iters', '1', '--batch', '4', '--top', '5'], subjects);
    expect(lines[0]).toMatch(/^MemeFace GAN \(.+ config, stages 64 px, builtin emoji\)/);
    expect(lines[1]).toMatch(/^64 px, 1 iterations: \d+ ms\/iter wall, \d+ ms\/iter in kernels/);
    const rows = lines.slice(3);
    expect(rows).toHaveLength(5);
    // The step is conv-bound: its weight gradients run as forward convs (conv2d-backprop-filter.ts).
    expect(rows.some((r) => r.startsWith('Conv2D < Conv2DBackpropFilter'))).toBe(true);
  });
});
