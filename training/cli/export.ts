import { parseArgs } from 'node:util';
import { exportSpine } from '../spine/export-spine';

/**
 * npm run export -- --spine [--name spine]   the spine's tiny model (random seeded weights)
 * npm run export -- --run <run> --name default   a trained run (see training/export/)
 */
const { values } = parseArgs({
  options: {
    spine: { type: 'boolean', default: false },
    name: { type: 'string' },
    run: { type: 'string' },
    out: { type: 'string' },
  },
});

async function main(): Promise<void> {
  if (values.spine) {
    const name = values.name ?? 'spine';
    const out = values.out ?? `public/models/${name}`;
    await exportSpine(out, name);
    console.log(`Exported the spine model to ${out}`);
    return;
  }
  console.error('Usage: npm run export -- --spine [--name <name>]  |  --run <run> --name <name>');
  process.exit(2);
}

main().catch((e) => {
  console.error(`${(e as Error).name}: ${(e as Error).message}`);
  process.exit(1);
});
