/** Five real scan-like images (sharp renders an SVG slip to JPEG/PNG), distinct bytes each. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const SLIPS = [
  { name: 'delivery-0417.jpg', title: 'DELIVERY NOTE', no: 'DN-2026-0417', amount: '1,280.50' },
  { name: 'receipt-0418.jpg', title: 'RECEIPT', no: 'RC-2026-0418', amount: '356.00' },
  { name: 'delivery-0419.png', title: 'DELIVERY NOTE', no: 'DN-2026-0419', amount: '9,900.00' },
  { name: 'invoice-0420.jpg', title: 'INVOICE', no: 'INV-2026-0420', amount: '12,004.75' },
  { name: 'return-0421.png', title: 'RETURN SLIP', no: 'RT-2026-0421', amount: '77.30' },
];

function svg(slip: (typeof SLIPS)[number]): string {
  const rows = [0, 1, 2, 3, 4].map((i) => `<line x1="40" y1="${260 + i * 40}" x2="560" y2="${260 + i * 40}" stroke="#999" stroke-width="1"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="840">
    <rect width="600" height="840" fill="#fbfaf5"/>
    <text x="40" y="80" font-family="sans-serif" font-size="36" font-weight="bold" fill="#222">${slip.title}</text>
    <text x="40" y="130" font-family="sans-serif" font-size="20" fill="#333">No. ${slip.no}</text>
    <text x="40" y="170" font-family="sans-serif" font-size="20" fill="#333">Amount CNY ${slip.amount}</text>
    ${rows}
    <text x="40" y="700" font-family="sans-serif" font-size="18" fill="#333">Received by:</text>
    <text x="40" y="800" font-family="sans-serif" font-size="12" fill="#999">${Date.now()}-${Math.random()}</text>
    <path d="M180 700 q30 -40 60 0 t60 0 t60 -10" stroke="#1a3d8f" stroke-width="3" fill="none"/>
  </svg>`;
}

/** Writes the first `count` slips; each call's bytes differ (a fresh stamp), so re-imports are not duplicates. */
export async function writeSlips(dir: string, count = SLIPS.length): Promise<string[]> {
  const paths: string[] = [];
  for (const slip of SLIPS.slice(0, count)) {
    const image = sharp(Buffer.from(svg(slip)));
    const bytes = slip.name.endsWith('.png') ? await image.png().toBuffer() : await image.jpeg({ quality: 85 }).toBuffer();
    const path = join(dir, slip.name);
    writeFileSync(path, bytes);
    paths.push(path);
  }
  return paths;
}
