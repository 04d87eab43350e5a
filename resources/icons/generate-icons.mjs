// Draws Burrow's icons as PNG files with nothing but zlib: the tray set (resources/icons/tray/<theme>/,
// 32 px <name>.png and 64 px <name>@2x.png, one per state and network) and the app icon
// (resources/icons/app/<n>x<n>.png for the Linux packages). The files are committed; run
// `node resources/icons/generate-icons.mjs` after changing a shape or colour. Shapes are described in a
// 32-unit square and supersampled 4×4 per pixel, so both sizes are antialiased and sharp.
// The list of tray names must match TRAY_ICON_NAMES in electron/main/tray-icons.ts (a unit test checks).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

// ---- PNG encoding -------------------------------------------------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** RGBA pixels (Uint8Array, width*height*4) to a PNG file. */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Shapes (in a 32 × 32 unit square) ----------------------------------------------------------
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, ro, ri) => (x, y) => {
  const d = (x - cx) ** 2 + (y - cy) ** 2;
  return d <= ro * ro && d >= ri * ri;
};
/** Ring sector from `from` to `to` (radians, clockwise from 12 o'clock). */
const arc = (cx, cy, ro, ri, from, to) => (x, y) => {
  if (!ring(cx, cy, ro, ri)(x, y)) return false;
  let a = Math.atan2(x - cx, -(y - cy));
  if (a < 0) a += 2 * Math.PI;
  return from <= to ? a >= from && a <= to : a >= from || a <= to;
};
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
/** A thick line with round ends. */
const capsule = (x1, y1, x2, y2, hw) => (x, y) => {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
  return (x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2 <= hw * hw;
};
const polygon = (points) => (x, y) => {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i, i += 1) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};

function hex(color, alpha = 1) {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

/** Paint layers ([shape, [r,g,b,a]]) into an RGBA buffer of `size` px, 4×4 samples per pixel. */
function render(size, layers) {
  const out = new Uint8Array(size * size * 4);
  const s = 4;
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < s; sy += 1) {
        for (let sx = 0; sx < s; sx += 1) {
          const x = ((px + (sx + 0.5) / s) * 32) / size;
          const y = ((py + (sy + 0.5) / s) * 32) / size;
          // Composite the layers "over" each other for this sample (premultiplied).
          let cr = 0;
          let cg = 0;
          let cb = 0;
          let ca = 0;
          for (const [shape, [lr, lg, lb, la]] of layers) {
            if (!shape(x, y)) continue;
            cr = lr * la + cr * (1 - la);
            cg = lg * la + cg * (1 - la);
            cb = lb * la + cb * (1 - la);
            ca = la + ca * (1 - la);
          }
          r += cr;
          g += cg;
          b += cb;
          a += ca;
        }
      }
      const n = s * s;
      const i = (py * size + px) * 4;
      const alpha = a / n;
      out[i] = alpha > 0 ? Math.round(r / n / alpha) : 0;
      out[i + 1] = alpha > 0 ? Math.round(g / n / alpha) : 0;
      out[i + 2] = alpha > 0 ? Math.round(b / n / alpha) : 0;
      out[i + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}

// ---- The tray set -------------------------------------------------------------------------------
// 'dark' = a dark panel (light neutral glyphs, brighter colours); 'light' = a light panel (dark neutral
// glyphs, deeper colours). Each theme's colours are picked to stand apart from its panel (a unit test
// measures it), with a thin rim in the panel's opposite tone around the filled discs.
const PALETTE = {
  dark: {
    neutral: '#E6E6E6', rim: '#1B1B1B', amber: '#FFB300', blocked: '#E53935', error: '#FB8C00',
    wireguard: '#43A047', tor: '#9575CD', nym: '#26A69A', dvpn: '#42A5F5',
  },
  light: {
    neutral: '#3A3A3A', rim: '#FFFFFF', amber: '#E65100', blocked: '#C62828', error: '#D84315',
    wireguard: '#2E7D32', tor: '#5E35B1', nym: '#00796B', dvpn: '#1565C0',
  },
};
const NETWORKS = ['wireguard', 'tor', 'nym', 'dvpn'];
const WHITE = hex('#FFFFFF');
const C = 16;

function filled(theme, color, marks) {
  return [[circle(C, C, 15), hex(PALETTE[theme].rim, 0.9)], [circle(C, C, 13.8), hex(color)], ...marks.map((m) => [m, WHITE])];
}

const NETWORK_MARKS = {
  // WireGuard: a check — the tunnel is up.
  wireguard: [capsule(9.5, 16.5, 14, 21, 1.9), capsule(14, 21, 22.5, 11.5, 1.9)],
  // Tor: an onion's layers.
  tor: [ring(C, C, 9, 6.8), circle(C, C, 3.2)],
  // Nym: mixnet nodes.
  nym: [circle(10, 19.5, 2.6), circle(16, 11, 2.6), circle(22, 19.5, 2.6), capsule(10, 19.5, 16, 11, 0.9), capsule(16, 11, 22, 19.5, 0.9)],
  // dVPN: a node diamond.
  dvpn: [polygon([[16, 7.5], [24.5, 16], [16, 24.5], [7.5, 16]])],
};

function trayIcons(theme) {
  const p = PALETTE[theme];
  const icons = {
    disconnected: [[ring(C, C, 13.5, 10.5), hex(p.neutral)], [capsule(9, 23, 23, 9, 1.5), hex(p.neutral)]],
    blocked: filled(theme, p.blocked, [rect(8, 14, 24, 18)]),
    error: filled(theme, p.error, [capsule(16, 8.5, 16, 17.5, 2), circle(16, 23, 2.2)]),
  };
  for (let frame = 0; frame < 4; frame += 1) {
    const from = (frame * Math.PI) / 2;
    icons[`connecting-${frame}`] = [
      [ring(C, C, 13.5, 10.5), hex(p.neutral, 0.35)],
      [arc(C, C, 14, 10, from, from + Math.PI * 0.6), hex(p.amber)],
      [circle(C, C, 3.5), hex(p.amber)],
    ];
  }
  for (const network of NETWORKS) icons[`connected-${network}`] = filled(theme, p[network], NETWORK_MARKS[network]);
  return icons;
}

// ---- The app icon: an arch (a burrow's mouth) on a dark disc --------------------------------------
const APP_LAYERS = [
  [circle(C, C, 15.5), hex('#1C2733')],
  [arc(C, 18, 10, 6.5, (3 * Math.PI) / 2, Math.PI / 2), hex('#4DD0E1')],
  [rect(6, 18, 9.5, 25), hex('#4DD0E1')],
  [rect(22.5, 18, 26, 25), hex('#4DD0E1')],
  [circle(C, 21, 2.4), hex('#FFB300')],
];

function write(path, size, layers) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodePng(size, size, render(size, layers)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const theme of ['light', 'dark']) {
    for (const [name, layers] of Object.entries(trayIcons(theme))) {
      write(join(here, 'tray', theme, `${name}.png`), 32, layers);
      write(join(here, 'tray', theme, `${name}@2x.png`), 64, layers);
    }
  }
  for (const size of [16, 32, 48, 64, 128, 256, 512]) write(join(here, 'app', `${size}x${size}.png`), size, APP_LAYERS);
  console.log('icons written to', here);
}
