import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is CommonJS; depending on the loader and the compiler's module settings its default import
// is the function itself or the module holding it.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const loaded = jsQRModule as unknown as Decode | { default: Decode };
const jsQR: Decode = typeof loaded === 'function' ? loaded : loaded.default;

/** The text a PNG QR code encodes, or undefined when no code is found. */
export function decodePng(bytes: Buffer): string | undefined {
  const image = PNG.sync.read(bytes);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

/**
 * The text of a QR code as `qrcode` draws it in SVG: one path of horizontal strokes, one module
 * high, along the middle of each row (`M x y.5 h n m dx dy …`). The modules are painted into a
 * bitmap and read back with the same decoder as the PNG.
 */
export function decodeSvg(svg: string): string | undefined {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const path = /<path[^>]*stroke="[^"]+"[^>]*d="([^"]+)"/.exec(svg)?.[1];
  if (!size || !path) return undefined;
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, command, args] of path.matchAll(/([MmHh])([^MmHh]*)/g)) {
    const numbers = (args ?? '')
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    if (command === 'M' || command === 'm') {
      const [dx = 0, dy = 0] = numbers;
      x = command === 'M' ? dx : x + dx;
      y = command === 'M' ? dy : y + dy;
    } else {
      const length = numbers[0] ?? 0;
      const to = command === 'H' ? length : x + length;
      for (let column = Math.min(x, to); column < Math.max(x, to); column++) {
        dark.add(`${column},${Math.floor(y)}`);
      }
      x = to;
    }
  }
  const scale = 8;
  const width = size * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let row = 0; row < width; row++) {
    for (let column = 0; column < width; column++) {
      if (!dark.has(`${Math.floor(column / scale)},${Math.floor(row / scale)}`)) continue;
      const offset = (row * width + column) * 4;
      pixels[offset] = pixels[offset + 1] = pixels[offset + 2] = 0;
    }
  }
  return jsQR(pixels, width, width)?.data;
}
