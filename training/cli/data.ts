// `npm run data [-- options]`: builds the emoji corpus, or with --from a user's folder of memes.
//   --from <folder>     images + captions.jsonl / captions.csv (see docs/DATA.md)
//   --out <dir>         output folder (default data/build/corpus, or data/build/user-corpus with --from)
//   --config <file>     JSON partial of DataConfig (training/data/config.ts); unknown keys are rejected
//   --k <n|auto>        k-means clusters
//   --seed <n>          seed of every random choice
//   --styles a,b        emoji styles to build (default all)
//   --max-faces <n>     faces per style (quick smoke builds)
//   --thumbnails <dir>  also write each template's smallest base pattern there (docs/data/templates)
//   --licenses <dir>    also write licence texts and attributions there (public/licenses)
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDataConfig, type DataConfig, type DeepPartial } from '../data/config.js';
import { FixDataConfigError } from '../data/errors.js';
import { buildEmojiCorpus } from '../data/pipeline/emoji.js';
import { buildUserCorpus } from '../data/pipeline/user.js';
import { writeLicences } from '../data/licences.js';

interface CliOptions { from: string | null; thumbnails: string | null; licenses: string | null; override: DeepPartial<DataConfig> }

function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { from: null, thumbnails: null, licenses: null, override: {} };
  let override: DeepPartial<DataConfig> = {};
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!flag.startsWith('--') || value === undefined) throw new FixDataConfigError(`Expected "--flag value", got "${flag}". See training/cli/data.ts.`);
    flags[flag.slice(2)] = value;
    i++;
  }
  for (const [flag, value] of Object.entries(flags)) {
    switch (flag) {
      case 'from': options.from = value; break;
      case 'thumbnails': options.thumbnails = value; break;
      case 'licenses': options.licenses = value; break;
      case 'config': override = { ...(JSON.parse(readFileSync(value, 'utf8')) as DeepPartial<DataConfig>), ...override }; break;
      case 'out': override.outDir = value; break;
      case 'seed': override.seed = Number(value); break;
      case 'styles': override.styles = value.split(','); break;
      case 'max-faces': override.maxFacesPerStyle = Number(value); break;
      case 'k': override.clustering = { ...override.clustering, k: value === 'auto' ? 'auto' : Number(value) }; break;
      default: throw new FixDataConfigError(`Unknown flag --${flag}; see training/cli/data.ts for the list.`);
    }
  }
  if (options.from && override.outDir === undefined) override.outDir = 'data/build/user-corpus';
  options.override = override;
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const config = resolveDataConfig(options.override);
  const log = (line: string): void => console.log(`[data] ${line}`);
  const { manifest, report } = options.from ? await buildUserCorpus(options.from, config, log) : await buildEmojiCorpus(config, log);
  for (const step of report.steps) {
    log(`${step.step}: images ${step.imagesBefore} → ${step.imagesAfter}, pairs ${step.pairsBefore} → ${step.pairsAfter}`);
  }
  const c = report.clustering;
  log(`clustering k=${c.k}${c.purity === null ? '' : ` purity=${c.purity} NMI=${c.nmi}`} silhouette=${c.silhouette}, removed ${c.outliers.length}, misfits ${c.misfits.length}`);
  log(`split: train ${report.split.trainImages} images/${report.split.trainPairs} pairs, test ${report.split.testImages}/${report.split.testPairs}, held-out captions ${report.split.heldOutCaptions}`);
  if (report.bandsCropped.length) log(`cropped caption bands from ${report.bandsCropped.length} image(s): ${report.bandsCropped.map((b) => b.file).join(', ')}`);
  if (report.skipped.length) log(`skipped ${report.skipped.length} file(s): ${report.skipped.map((s) => `${s.file} (${s.reason})`).join('; ')}`);
  log(`${manifest.templates.length} templates, ${manifest.records.length} images → ${config.outDir} (build ${report.seconds.total} s, process ${(performance.now() / 1000).toFixed(1)} s)`);
  if (options.thumbnails) {
    mkdirSync(options.thumbnails, { recursive: true });
    for (const t of manifest.templates) copyFileSync(join(config.outDir, t.images[String(Math.min(...manifest.sizes))]), join(options.thumbnails, `${t.id}.png`));
    log(`thumbnails → ${options.thumbnails}`);
  }
  if (options.licenses) {
    writeLicences(options.licenses);
    log(`licences → ${options.licenses}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
