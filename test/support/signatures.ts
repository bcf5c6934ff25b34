// Signatures as the signing screen sends them: strokes of points, and a real PNG of those strokes
// (drawn here pixel by pixel, so the PDF writer has a genuine image to embed).
import { crc32, deflateSync } from 'node:zlib';

export interface Point {
  x: number;
  y: number;
  time?: number;
}

/** A looping scrawl across the box: `count` points, a path of several hundred pixels. */
export function scrawl(count = 40, width = 600, height = 200): Point[][] {
  const points: Point[] = [];
  for (let i = 0; i < count; i += 1) {
    const t = i / (count - 1);
    points.push({
      x: Math.round(40 + t * (width - 80)),
      y: Math.round(height / 2 + Math.sin(t * Math.PI * 6) * (height / 3)),
      time: 1_700_000_000_000 + i * 16,
    });
  }
  return [points];
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGBA PNG with the strokes drawn in dark blue on a transparent ground. */
export function strokesPng(strokes: Point[][], width = 600, height = 200): string {
  const pixels = Buffer.alloc(width * height * 4);
  const plot = (x: number, y: number) => {
    for (let dx = -1; dx <= 1; dx += 1)
      for (let dy = -1; dy <= 1; dy += 1) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px < 0 || py < 0 || px >= width || py >= height) continue;
        const o = (py * width + px) * 4;
        pixels[o] = 0x0b;
        pixels[o + 1] = 0x0c;
        pixels[o + 2] = 0x4c;
        pixels[o + 3] = 0xff;
      }
  };
  for (const stroke of strokes) {
    for (let i = 1; i < stroke.length; i += 1) {
      const a = stroke[i - 1]!;
      const b = stroke[i]!;
      const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y)));
      for (let s = 0; s <= steps; s += 1) plot(a.x + ((b.x - a.x) * s) / steps, a.y + ((b.y - a.y) * s) / steps);
    }
  }
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y += 1) pixels.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

export function drawn(strokes: Point[][] = scrawl(), width = 600, height = 200) {
  return {
    method: 'drawn' as const,
    strokes: strokes.map((points) => ({ points })),
    width,
    height,
    png: strokesPng(strokes, width, height),
  };
}

export function typed(name: string) {
  return { method: 'typed' as const, typedName: name, attestation: true as const };
}

export const SIGNATORY = { name: 'Chief Inspector Dana Okafor', role: 'Neighbourhood policing lead' };
export const WITNESS = { name: 'Alex Manager', role: 'Partnership manager' };
export const GROUP = 'Northfield Local Partnership Delivery Group';
