import { standInConfig } from './standin/config';
import { generatorSpecs } from './standin/generator';
import { discriminatorSpecs } from './standin/discriminator';
import { flopsPerIteration, generatorConvs, discriminatorConvs } from './standin/cost';
const count = (s: { shape: number[] }[]) => s.reduce((a, x) => a + x.shape.reduce((p, q) => p * q, 1), 0);
for (const o of JSON.parse(process.argv[2])) {
  for (const r of [64, 128]) {
    const cfg = standInConfig({ ...o, resolution: r });
    console.log(JSON.stringify(o), r, 'G', count(generatorSpecs(cfg)), 'D', count(discriminatorSpecs(cfg)), 'GFLOP', (flopsPerIteration(cfg, 14) / 1e9).toFixed(1));
  }
}
const cfg = standInConfig(JSON.parse(process.argv[2])[0]);
console.log(generatorConvs(cfg, 14).map((l) => `${l.name}:${(l.macs / 1e6).toFixed(0)}`).join(' '));
console.log(discriminatorConvs(cfg, 14).map((l) => `${l.name}:${(l.macs / 1e6).toFixed(0)}`).join(' '));
