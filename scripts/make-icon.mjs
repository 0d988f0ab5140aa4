// Generates media/icon.png (128×128): three coloured discs labelled G, M and P on a dark
// rounded square, joined like the scheduler's G→M→P relation. No dependencies: the PNG is
// written by hand with zlib. Run: node scripts/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4; // supersampling per axis, for anti-aliased edges

// 5×7 glyphs, one string per row.
const GLYPHS = {
  G: ['01110', '10001', '10000', '10111', '10001', '10001', '01111'],
  M: ['10001', '11011', '10101', '10101', '10001', '10001', '10001'],
  P: ['11110', '10001', '10001', '11110', '10000', '10000', '10000'],
};

const BACKGROUND = [0x1e, 0x22, 0x2a];
const LINK = [0x5c, 0x66, 0x78];
const WHITE = [0xff, 0xff, 0xff];
const DISCS = [
  { letter: 'G', x: 64, y: 36, color: [0x00, 0xad, 0xd8] }, // Go gopher blue
  { letter: 'M', x: 34, y: 90, color: [0xf2, 0x8c, 0x28] },
  { letter: 'P', x: 94, y: 90, color: [0x4c, 0xaf, 0x50] },
];
const R = 24;

function insideRoundedSquare(x, y) {
  const r = 22;
  const cx = Math.min(Math.max(x, r), SIZE - r);
  const cy = Math.min(Math.max(y, r), SIZE - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function distToSegment(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function glyphHit(letter, cx, cy, x, y) {
  const cell = 4.4; // pixels per glyph cell
  const gx = Math.floor((x - (cx - 2.5 * cell)) / cell);
  const gy = Math.floor((y - (cy - 3.5 * cell)) / cell);
  return gy >= 0 && gy < 7 && gx >= 0 && gx < 5 && GLYPHS[letter][gy][gx] === '1';
}

/** Colour and alpha of one sub-sample. */
function sample(x, y) {
  if (!insideRoundedSquare(x, y)) return null;
  for (const d of DISCS) {
    if ((x - d.x) ** 2 + (y - d.y) ** 2 <= R * R) {
      return glyphHit(d.letter, d.x, d.y, x, y) ? WHITE : d.color;
    }
  }
  for (let i = 0; i < DISCS.length; i++) {
    const a = DISCS[i], b = DISCS[(i + 1) % DISCS.length];
    if (distToSegment(x, y, a.x, a.y, b.x, b.y) <= 3) return LINK;
  }
  return BACKGROUND;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (c) { r += c[0]; g += c[1]; b += c[2]; a++; }
      }
    }
    const o = py * (SIZE * 4 + 1) + 1 + px * 4;
    if (a > 0) { raw[o] = r / a; raw[o + 1] = g / a; raw[o + 2] = b / a; }
    raw[o + 3] = Math.round((255 * a) / (SS * SS));
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // colour type: RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('../media/icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote media/icon.png (${png.length} bytes)`);
