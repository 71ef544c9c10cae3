import { useEffect, useState, type RefObject } from 'react';
import type { StageImage } from '../../../workers/api';
import { useI18n } from '../../i18n/i18n';
import { loadCaptionFont } from '../caption/caption-font';
import { drawMeme, MEME_SIZE } from '../caption/draw-meme';

/**
 * The meme itself: always a 256×256 canvas, whatever stage it shows. `data-drawn` names what is
 * on it (job, stage size, variant, caption) once drawn, so tests know which result they see.
 */
export function MemeView({ image, caption, canvasRef, job }: { image: StageImage | undefined; caption: string; canvasRef: RefObject<HTMLCanvasElement | null>; job: number }) {
  const { t } = useI18n();
  const [drawn, setDrawn] = useState('');
  useEffect(() => {
    let live = true;
    if (!image) return;
    void loadCaptionFont()
      .then(() => document.fonts.load(`20px "MemeFace Caption"`, caption || 'a'))
      .catch(() => undefined)
      .then(() => {
        if (!live || !canvasRef.current) return;
        drawMeme(canvasRef.current, image, caption);
        setDrawn(`${job}:${image.size}:${image.seedIndex}:${caption}`);
      });
    return () => {
      live = false;
    };
  }, [image, caption, canvasRef, job]);
  return (
    <canvas
      ref={canvasRef}
      className="meme-canvas"
      width={MEME_SIZE}
      height={MEME_SIZE}
      role="img"
      aria-label={t('generate.meme', { text: caption })}
      data-size={image?.size ?? 0}
      data-drawn={image ? drawn : ''}
    />
  );
}
