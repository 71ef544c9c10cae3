import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_CONFIG, resolveDataConfig } from '../../../training/data/config';
import { FixDataConfigError } from '../../../training/data/errors';

describe('data config', () => {
  it('returns the defaults for an empty override', () => {
    expect(resolveDataConfig({})).toEqual(DEFAULT_DATA_CONFIG);
  });

  it('merges nested overrides and keeps the other defaults', () => {
    const config = resolveDataConfig({ captions: { minLength: 2 }, clustering: { k: 7 } });
    expect(config.captions.minLength).toBe(2);
    expect(config.captions.maxLength).toBe(12);
    expect(config.clustering.k).toBe(7);
  });

  it('rejects unknown keys at any depth', () => {
    expect(() => resolveDataConfig({ sed: 1 })).toThrow(FixDataConfigError);
    expect(() => resolveDataConfig({ captions: { minLenght: 2 } })).toThrow(/Unknown config key "captions.minLenght"/);
  });

  it('rejects wrong types and inconsistent ranges', () => {
    expect(() => resolveDataConfig({ seed: '1' })).toThrow(FixDataConfigError);
    expect(() => resolveDataConfig({ captions: { minLength: 8, maxLength: 4 } })).toThrow(FixDataConfigError);
    expect(() => resolveDataConfig({ clustering: { k: 0 } })).toThrow(FixDataConfigError);
    expect(() => resolveDataConfig({ perplexity: { maxQuantile: 1.5 } })).toThrow(FixDataConfigError);
  });
});
