import type { StageImage } from '../../../workers/api';
import { useI18n } from '../../i18n/i18n';
import { ImageCanvas } from './ImageCanvas';
import { latestImage } from './use-generate';

/** One thumbnail per seed of the batch, as a radio group (arrow keys move), plus reroll. */
export function Variants({ stages, count, value, onChange, onReroll, disabled }: {
  stages: StageImage[];
  count: number;
  value: number;
  onChange: (v: number) => void;
  onReroll: () => void;
  disabled: boolean;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="variants">
      <legend>{t('generate.variants')}</legend>
      <div className="variant-row">
        {Array.from({ length: count }, (_, i) => {
          const image = latestImage(stages, i);
          const label = t('generate.variant', { n: i + 1 });
          return (
            <label key={i} className={i === value ? 'variant selected' : 'variant'}>
              <input type="radio" name="variant" value={i} checked={i === value} onChange={() => onChange(i)} aria-label={label} />
              {image ? <ImageCanvas image={image} display={56} label={label} /> : <div className="stage-pending" aria-hidden="true" />}
            </label>
          );
        })}
        <button type="button" className="reroll" onClick={onReroll} disabled={disabled}>
          {t('generate.reroll')}
        </button>
      </div>
    </fieldset>
  );
}
