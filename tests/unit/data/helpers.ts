// Synthetic test images drawn with sharp from SVG: faces in two "styles" and caption bands.
import sharp from 'sharp';

export type Style = 'yellow-flat' | 'blue-outline';

/** A face in one of two styles; `mood` moves the mouth and eyes like an expression would. */
export function faceSvg(style: Style, mood: number, size = 128): string {
  const fill = style === 'yellow-flat' ? '#ffcc33' : '#88bbff';
  const stroke = style === 'yellow-flat' ? 'none' : '#000000';
  const mouthY = 80 + (mood % 5) * 4;
  const eye = 6 + (mood % 3) * 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 128 128">
    <circle cx="64" cy="64" r="50" fill="${fill}" stroke="${stroke}" stroke-width="6"/>
    <circle cx="45" cy="50" r="${eye}" fill="#333"/><circle cx="83" cy="50" r="${eye}" fill="#333"/>
    <rect x="40" y="${mouthY}" width="48" height="${4 + (mood % 4) * 3}" fill="#a33"/></svg>`;
}

export async function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Glyph-like blocks: many narrow strokes per row, as text has. */
export function glyphRow(x0: number, y0: number, count: number, colour: string): string {
  return Array.from({ length: count }, (_, i) => {
    const x = x0 + i * 18;
    return `<rect x="${x}" y="${y0}" width="3" height="16" fill="${colour}"/><rect x="${x + 6}" y="${y0}" width="3" height="16" fill="${colour}"/><rect x="${x}" y="${y0 + 7}" width="12" height="3" fill="${colour}"/>`;
  }).join('');
}

/** A 200×260 meme: a face on white, and a caption band (white or solid black) at top or bottom. */
export function memeSvg(band: 'white-bottom' | 'black-top' | 'none', withHalo = false): string {
  const parts: string[] = ['<rect width="200" height="260" fill="#ffffff"/>'];
  const faceTop = band === 'black-top' ? 70 : 20;
  parts.push(`<circle cx="100" cy="${faceTop + 90}" r="80" fill="#ffcc33"/>`);
  parts.push(`<circle cx="70" cy="${faceTop + 70}" r="10" fill="#333"/><circle cx="130" cy="${faceTop + 70}" r="10" fill="#333"/>`);
  if (withHalo) parts.push(`<ellipse cx="100" cy="${faceTop - 8}" rx="50" ry="6" fill="none" stroke="#e0b000" stroke-width="4"/>`);
  if (band === 'white-bottom') parts.push(glyphRow(20, 215, 9, '#000000'), glyphRow(40, 238, 7, '#000000'));
  if (band === 'black-top') parts.push('<rect width="200" height="60" fill="#000000"/>', glyphRow(25, 22, 9, '#ffffff'));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="260" viewBox="0 0 200 260">${parts.join('')}</svg>`;
}

export async function svgToRgb(svg: string): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}
