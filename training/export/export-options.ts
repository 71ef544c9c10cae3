import { checkMemeFaceConfig, type MemeFaceConfig } from '../../model/memeface/config';
import type { ExportOptions } from '../train/config';

/** A model config with export options set, checked: an option the model cannot take (snapMono without a mask) is named here. */
export function withExportOptions(cfg: MemeFaceConfig, options: ExportOptions = {}): MemeFaceConfig {
  const merged = { ...cfg, ...options };
  checkMemeFaceConfig(merged);
  return merged;
}
