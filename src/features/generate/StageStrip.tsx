import type { StageImage } from '../../../workers/api';
import { useI18n } from '../../i18n/i18n';
import { ImageCanvas } from './ImageCanvas';

/** The 64 → 128 → 256 px stages of one variant, each appearing as soon as it finishes. */
export function StageStrip({ stages, sizes, variant }: { stages: StageImage[]; sizes: number[]; variant: number }) {
  const { t } = useI18n();
  return (
    <figure className="stage-strip" aria-label={t('generate.stages')}>
      <figcaption>{t('generate.stages')}</figcaption>
      <ol>
        {sizes.map((size) => {
          const image = stages.find((s) => s.size === size && s.seedIndex === variant);
          return (
            <li key={size} data-stage={size} data-done={image ? 'true' : 'false'}>
              {image ? <ImageCanvas image={image} display={72} label={`${size} px`} /> : <div className="stage-pending" aria-hidden="true" />}
              <span>{size} px</span>
            </li>
          );
        })}
      </ol>
    </figure>
  );
}
