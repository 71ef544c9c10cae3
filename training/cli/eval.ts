import { parseArgs } from 'node:util';
import { selectInferenceBackend } from '../generate/inference-backend';
import { evalConfig } from '../eval/config';
import { updateEvaluationDoc } from '../eval/report';
import { runEval, writeResults } from '../eval/run-eval';

const USAGE = `Usage: npm run eval -- --model <exported model name or folder> [--seed 1] [--quick] [--split test|train]
       [--corpus data/build/corpus] [--compare <model>,<model>] [--no-template-model <model>]
       [--backend wasm|cpu|tensorflow] [--timeline] [--no-docs] [--stage N]
  --no-docs   write eval/<model>/ only: leave docs/EVALUATION.md and docs/evaluation/ alone
  --timeline  every checkpoint of the model's timeline on every eval pair (compare runs epoch by epoch)
  --stage N   a diagnostic: score stage N's images (0 = 64 px) instead of the last stage's; writes results-stage<N>.json`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'default' },
      seed: { type: 'string', default: '1' },
      quick: { type: 'boolean', default: false },
      split: { type: 'string', default: 'test' },
      corpus: { type: 'string' },
      compare: { type: 'string' },
      'no-template-model': { type: 'string' },
      backend: { type: 'string' },
      'no-docs': { type: 'boolean', default: false },
      timeline: { type: 'boolean', default: false },
      stage: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seed = Number(values.seed);
  const cfg = evalConfig({ seed, quick: values.quick, split: values.split, timeline: values.timeline, stage: values.stage === undefined ? undefined : Number(values.stage) });
  // A quick run is a smoke test, --split train and --stage diagnostics: none touches the committed docs.
  const updateDocs = !values['no-docs'] && !values.quick && cfg.split === 'test' && cfg.scoredStage === null;
  const backend = await selectInferenceBackend(values.backend);
  const results = await runEval({
    model: values.model,
    cfg,
    corpusDir: values.corpus,
    compare: values.compare ? values.compare.split(',').filter(Boolean) : [],
    noTemplateModel: values['no-template-model'],
    backend,
    publishGrids: updateDocs,
    log: (line) => console.log(line),
  });
  console.log(`wrote ${writeResults(results)}`);
  if (updateDocs) {
    updateEvaluationDoc(results);
    console.log('updated docs/EVALUATION.md');
  }
  console.log(`eval took ${results.seconds.toFixed(0)} s`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`${e.name}: ${e.message}`);
    console.error(USAGE);
    process.exit(1);
  },
);
