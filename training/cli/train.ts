/**
 * npm run train -- --config <name> [--stage damsm|gan|all] [--resume <run>] [--damsm <run>]
 *                  [--backend tensorflow|wasm|cpu|webgpu] [--workers N] [--max-minutes N]
 * npm run train -- --resume <run> --gan-epochs N   train a finished (or stopped) run on to N GAN epochs
 * npm run train -- --config <name> --stage gan --init-from <run>   a new run that goes on from <run>'s last
 *                  GAN checkpoint with other GAN settings (a warm start); --init-epoch N starts
 *                  from its epoch-N checkpoint instead
 * npm run train -- --config <name> --init-from-export <model>   a new run whose generator and text
 *                  encoder start from an exported model (public/models/<model> or a folder); D,
 *                  Adam and the DAMSM image encoder start afresh (training/train/export-start.ts)
 *
 * --workers N: the GAN gradients on N worker threads, each taking whole shards of the batch
 * (gan.shards). Default on the wasm backend (one core per thread): gan.shards; otherwise 1.
 * --backend webgpu: the GPU through Dawn (`npm install webgpu` and a Vulkan driver on Linux); never
 * picked by auto. The whole batch runs on the GPU, so it takes no --workers.
 *
 * <name> is a file stem under training/configs/; <run> a folder name under training/runs/ (or a path).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initTrainingBackend, type BackendRequest } from '../train/backend';
import { loadConfigFile, ConfigError } from '../train/config';
import { readRunConfig } from '../train/checkpoint';
import { train, type Phase } from '../train/trainer';
import { readExportStart } from '../train/export-start';

const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    stage: { type: 'string', default: 'all' },
    resume: { type: 'string' },
    damsm: { type: 'string' },
    'init-from': { type: 'string' },
    'init-epoch': { type: 'string' },
    'init-from-export': { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    'max-minutes': { type: 'string' },
    'max-steps': { type: 'string' },
    'gan-epochs': { type: 'string' },
    workers: { type: 'string' },
  },
});

function runPath(name: string): string {
  if (existsSync(name)) return name;
  const p = join('training/runs', name);
  if (!existsSync(p)) throw new ConfigError(`No run "${name}" (looked in training/runs/).`);
  return p;
}

async function main(): Promise<void> {
  const stage = values.stage as Phase | 'all';
  if (!['damsm', 'gan', 'all'].includes(stage)) throw new ConfigError(`--stage must be damsm, gan or all; got "${stage}".`);
  if (!values.config && !values.resume) {
    console.error('Usage: npm run train -- --config <name> [--stage damsm|gan|all] [--resume <run>] [--damsm <run> | --init-from <run> [--init-epoch N] | --init-from-export <model>] [--backend auto|tensorflow|wasm|cpu|webgpu] [--workers N] [--max-minutes N] [--resume <run> --gan-epochs N]');
    process.exit(2);
  }
  const resumeDir = values.resume ? runPath(values.resume) : undefined;
  if (values['gan-epochs'] && !resumeDir) throw new ConfigError('--gan-epochs extends a run: use it with --resume <run>.');
  if (values['init-from'] && (values.damsm || resumeDir)) throw new ConfigError('--init-from starts a new run from another run\'s GAN checkpoint, encoders included: use it without --damsm or --resume.');
  if (values['init-epoch'] && !values['init-from']) throw new ConfigError('--init-epoch picks the checkpoint of a warm start: use it with --init-from <run>.');
  const initEpoch = values['init-epoch'] !== undefined ? Number(values['init-epoch']) : undefined;
  if (initEpoch !== undefined && !(Number.isInteger(initEpoch) && initEpoch > 0)) throw new ConfigError(`--init-epoch must be a positive whole number of GAN epochs, got "${values['init-epoch']}".`);
  const config = values.config ? loadConfigFile(values.config) : readRunConfig(resumeDir!);
  if (values.backend === 'webgpu' && values.workers !== undefined && Number(values.workers) !== 1) {
    throw new ConfigError('--workers runs the gradients on wasm worker threads (one CPU core each); with --backend webgpu the GPU takes the whole batch. Leave --workers out.');
  }
  // Read before the backend starts: the export's weights are decoded synchronously.
  const initFromExport = values['init-from-export'] ? readExportStart(values['init-from-export'], config) : undefined;
  const backend = await initTrainingBackend(values.backend as BackendRequest);
  const shards = config.gan.shards ?? 1; // runs saved before gan.shards existed have one
  const workers = values.workers !== undefined ? Number(values.workers) : backend === 'wasm' ? shards : 1;
  if (workers > 1) console.log(`[train] GAN gradients on ${workers} worker threads, ${shards / workers} of the batch's ${shards} shards each`);
  const result = await train({
    config,
    stage,
    resumeDir,
    damsmFrom: values.damsm ? runPath(values.damsm) : undefined,
    initFrom: values['init-from'] ? runPath(values['init-from']) : undefined,
    initEpoch,
    initFromExport,
    maxMinutes: values['max-minutes'] ? Number(values['max-minutes']) : undefined,
    maxSteps: values['max-steps'] ? Number(values['max-steps']) : undefined,
    extendGanEpochs: values['gan-epochs'] ? Number(values['gan-epochs']) : undefined,
    workers,
  });
  console.log(`\n[train] ${result.stopped === 'done' ? 'finished' : `stopped (${result.stopped})`}: ${result.runDir} (backend ${backend}). Resume with: npm run train -- --resume ${result.runDir.split('/').pop()}`);
}

main().catch((e) => {
  console.error(`${(e as Error).name}: ${(e as Error).message}`);
  process.exit(1);
});
