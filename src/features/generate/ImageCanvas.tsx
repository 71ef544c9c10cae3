import { useEffect, useRef } from 'react';
import type { StageImage } from '../../../workers/api';
import { stageCanvas } from '../caption/draw-meme';

/** A generated image without caption, scaled to `display` px (thumbnails, stages, timeline). */
export function ImageCanvas({ image, display, label, className }: { image: StageImage; display: number; label: string; className?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const ctx = canvas.getContext('2d')!;
    ctx.imageSmoothingQuality = 'high';
    ctx.clearRect(0, 0, display, display);
    ctx.drawImage(stageCanvas(image), 0, 0, display, display);
  }, [image, display]);
  return <canvas ref={ref} width={display} height={display} className={className} role="img" aria-label={label} data-size={image.size} />;
}
