import { useEffect, useRef } from 'react';
import type { StageImage } from '../../../workers/api';

/** Shows one generated image, scaled up crisply to its display size. */
export function MemeCanvas({ image, label }: { image: StageImage | undefined; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !image) return;
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height), 0, 0);
  }, [image]);
  return <canvas ref={ref} className="meme-canvas" role="img" aria-label={label} data-size={image?.size ?? 0} width={256} height={256} />;
}
