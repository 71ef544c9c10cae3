import { useEffect, useRef } from 'react';
import type { AttentionMap, StageImage, TokenView } from '../../../workers/api';
import { useI18n } from '../../i18n/i18n';
import { drawHeatmap } from './heatmap';

/**
 * AttnGAN's word attention: one heatmap per word over the 128 and 256 px images. Rendered only
 * when the model exports attn_<size> outputs; the tiny spine model has none, so nothing shows.
 */
export function AttentionPanel({ attention, tokens, stages }: { attention: AttentionMap[] | undefined; tokens: TokenView[]; stages: StageImage[] }) {
  const { t } = useI18n();
  const maps = (attention ?? []).filter((a) => a.maps.length > 0);
  if (!maps.length) return null;
  return (
    <section className="panel attention" aria-labelledby="attention-title">
      <h2 id="attention-title">{t('attention.title')}</h2>
      <p className="hint">{t('attention.hint', { sizes: maps.map((m) => m.size).join(' / ') })}</p>
      {maps.map((a) => {
        const image = stages.find((s) => s.size === a.size && s.seedIndex === 0) ?? stages.find((s) => s.seedIndex === 0);
        return (
          <figure key={a.size} className="attention-size">
            <figcaption>{a.size} px</figcaption>
            <ul className="attention-row" data-size={a.size}>
            {image &&
              a.maps.map((m, w) => (
                <li key={w}>
                  <Heatmap image={image} map={m} size={a.size} label={`${tokens[w]?.text ?? w} · ${a.size} px`} />
                  <span>{tokens[w]?.text}</span>
                </li>
              ))}
            </ul>
          </figure>
        );
      })}
    </section>
  );
}

function Heatmap({ image, map, size, label }: { image: StageImage; map: Float32Array; size: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) drawHeatmap(ref.current, image, map, Math.round(Math.sqrt(map.length)) || size);
  }, [image, map, size]);
  return <canvas ref={ref} width={96} height={96} role="img" aria-label={label} />;
}
