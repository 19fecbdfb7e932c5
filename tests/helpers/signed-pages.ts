/**
 * Generated slip pages for the signed check (tests and bench/signed.ts): printed text, a table and a signature
 * line drawn with @napi-rs/canvas, with or without a handwritten stroke and/or a red seal ring, and optionally
 * red printed text that is not a seal. The same seed gives the same page, so an unsigned page and its signed
 * twin differ only in what was signed.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import sharp from 'sharp';

export interface SignedPageOptions {
  seed: number;
  signature: boolean;
  seal: boolean;
  /** A line of red printed text (a heading or a notice), which must not count as a seal. */
  redText?: boolean;
  /** Stroke colour of the signature; blue ballpoint by default. */
  ink?: 'blue' | 'black';
  /** Encode as grayscale JPEG, as many office scanners do. */
  gray?: boolean;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMPANIES = ['华南贸易有限公司', '北京远东物流', '杭州京东惠景贸易', 'Acme Trading Co., Ltd.', '厦门广源包装材料有限公司', 'Qingdao Shunyi Hardware'];
const ITEMS = ['透明封箱胶带 48mm', 'LED panel light 36W', '不锈钢六角螺栓 M8×30', 'Toner cartridge CF228A', '白色乳胶漆 20kg', 'Nitrile work gloves'];
const SEAL_TEXT = '华南贸易有限公司收货专用章';

function signatureStroke(context: SKRSContext2D, random: () => number, x: number, y: number, scale: number): void {
  // A name written fast: a few connected loops and waves, then a trailing flourish.
  context.beginPath();
  let px = x;
  let py = y;
  context.moveTo(px, py);
  const loops = 3 + Math.floor(random() * 4);
  for (let i = 0; i < loops; i += 1) {
    const dx = scale * (0.5 + random() * 0.8);
    const up = -scale * (0.6 + random() * 0.9);
    context.bezierCurveTo(px + dx * 0.2, py + up, px + dx * 0.9, py + up * 0.8, px + dx * 0.6, py + scale * 0.15 * (random() - 0.5));
    context.bezierCurveTo(px + dx * 0.4, py + scale * 0.5, px + dx, py + scale * 0.3, px + dx * 1.1, py);
    px += dx * 1.1;
    py += scale * 0.2 * (random() - 0.5);
  }
  context.bezierCurveTo(px + scale, py + scale * 0.4, px + scale * 1.8, py - scale * 0.5, px + scale * 2.4, py - scale * 0.1);
  context.stroke();
}

function sealRing(context: SKRSContext2D, random: () => number, cx: number, cy: number, radius: number): void {
  context.save();
  context.globalAlpha = 0.65 + random() * 0.3;
  context.strokeStyle = context.fillStyle = `rgb(${200 + Math.floor(random() * 40)}, ${20 + Math.floor(random() * 40)}, ${30 + Math.floor(random() * 40)})`;
  context.lineWidth = radius * 0.07;
  context.beginPath();
  context.arc(cx, cy, radius, 0, Math.PI * 2);
  context.stroke();
  context.font = `${Math.round(radius * 0.26)}px "WenQuanYi Zen Hei"`;
  const chars = [...SEAL_TEXT];
  chars.forEach((char, index) => {
    const angle = Math.PI * (-1.15 + (1.3 * index) / (chars.length - 1)) - Math.PI / 2 + Math.PI / 2;
    context.save();
    context.translate(cx + Math.cos(angle - Math.PI / 2) * radius * 0.72, cy + Math.sin(angle - Math.PI / 2) * radius * 0.72);
    context.rotate(angle);
    context.fillText(char, -radius * 0.12, radius * 0.1);
    context.restore();
  });
  // The star in the middle.
  context.beginPath();
  for (let i = 0; i < 10; i += 1) {
    const r = i % 2 === 0 ? radius * 0.28 : radius * 0.11;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    context.lineTo(cx + Math.cos(a) * r, cy + Math.sin(a) * r);
  }
  context.closePath();
  context.fill();
  context.restore();
}

/** One page as an encoded image (PNG, or grayscale JPEG with `gray`). */
export async function signedPage(options: SignedPageOptions): Promise<Buffer> {
  const random = seeded(options.seed);
  const width = 1500 + Math.floor(random() * 700);
  const height = Math.round(width * (0.55 + random() * 0.85));
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  const paper = 240 + Math.floor(random() * 15);
  context.fillStyle = `rgb(${paper}, ${paper}, ${paper - Math.floor(random() * 8)})`;
  context.fillRect(0, 0, width, height);
  const text = Math.round(width / (55 + random() * 25));
  const margin = Math.round(width * 0.06);
  const font = (size: number, bold = false) => `${bold ? 'bold ' : ''}${size}px "WenQuanYi Zen Hei"`;
  const dark = `rgb(${20 + Math.floor(random() * 40)}, ${20 + Math.floor(random() * 40)}, ${30 + Math.floor(random() * 40)})`;

  context.fillStyle = dark;
  context.font = font(Math.round(text * 1.8), true);
  context.fillText(random() < 0.5 ? '送货单 DELIVERY NOTE' : '签收回单 SIGNED-BACK SLIP', margin, margin + text * 1.8);
  let y = margin + text * 4;
  if (options.redText) {
    context.fillStyle = 'rgb(210, 30, 40)';
    context.font = font(Math.round(text * 1.1), true);
    context.fillText(random() < 0.5 ? '原件返回 请签字盖章 ORIGINAL — RETURN SIGNED' : '第二联 客户留存 COPY 2 — CUSTOMER', margin, y);
    y += text * 2;
  }
  context.fillStyle = dark;
  context.font = font(text);
  const lines = 3 + Math.floor(random() * 4);
  for (let i = 0; i < lines; i += 1) {
    const company = COMPANIES[Math.floor(random() * COMPANIES.length)]!;
    context.fillText(`${['收货单位', '发货方 Shipper', '地址 Address', '单号 No.'][i % 4]}: ${company} ${Math.floor(random() * 90000 + 10000)}`, margin, y);
    y += text * 1.7;
  }
  // A ruled table.
  const rows = 2 + Math.floor(random() * 5);
  const tableTop = y;
  const columns = [0, 0.08, 0.55, 0.7, 0.85, 1].map((f) => margin + f * (width - 2 * margin));
  context.strokeStyle = dark;
  context.lineWidth = Math.max(1, text / 12);
  for (let r = 0; r <= rows; r += 1) {
    context.beginPath();
    context.moveTo(columns[0]!, tableTop + r * text * 1.8);
    context.lineTo(columns.at(-1)!, tableTop + r * text * 1.8);
    context.stroke();
  }
  for (const x of columns) {
    context.beginPath();
    context.moveTo(x, tableTop);
    context.lineTo(x, tableTop + rows * text * 1.8);
    context.stroke();
  }
  for (let r = 0; r < rows; r += 1) {
    const baseline = tableTop + r * text * 1.8 + text * 1.3;
    context.fillText(String(r + 1), columns[0]! + text * 0.4, baseline);
    context.fillText(ITEMS[Math.floor(random() * ITEMS.length)]!, columns[1]! + text * 0.4, baseline);
    context.fillText(String(Math.floor(random() * 500)), columns[2]! + text * 0.4, baseline);
    context.fillText((random() * 400).toFixed(2), columns[3]! + text * 0.4, baseline);
    context.fillText((random() * 20000).toFixed(2), columns[4]! + text * 0.4, baseline);
  }
  y = tableTop + rows * text * 1.8 + text * 3;
  // The signature line: a label and an underline to sign on.
  const label = random() < 0.5 ? '签收人 Signature:' : '客户签收 Customer signature:';
  context.fillText(label, margin, y);
  const lineStart = margin + context.measureText(label).width + text * 0.5;
  context.beginPath();
  context.moveTo(lineStart, y + text * 0.3);
  context.lineTo(lineStart + text * 12, y + text * 0.3);
  context.stroke();
  context.fillText(`日期 Date: 2026-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`, width * 0.62, y);
  context.font = font(Math.round(text * 0.8));
  context.fillText('请收货方核对无误后签字盖章 Please check, sign and stamp, then return this slip.', margin, y + text * 2.2);

  const signatureAt = { x: lineStart + text * (0.5 + random() * 2), y: y - text * 0.2 };
  const sealAt = { x: lineStart + text * (3 + random() * 6), y: y - text * (random() * 1.5) };
  const sealRadius = Math.min(width, height) * (0.09 + random() * 0.05);
  // Draw both random choices whatever is asked, so an unsigned page and its signed twin share the layout.
  const strokeScale = text * (0.9 + random() * 0.6);
  const penWidth = Math.max(2, text / (7 + random() * 4));
  if (options.seal) sealRing(context, random, sealAt.x, sealAt.y, sealRadius);
  if (options.signature) {
    context.save();
    context.strokeStyle = options.ink === 'black' ? 'rgb(25, 25, 30)' : 'rgb(25, 45, 140)';
    context.lineWidth = penWidth;
    context.lineCap = 'round';
    signatureStroke(context, random, signatureAt.x, signatureAt.y, strokeScale);
    context.restore();
  }
  const png = canvas.toBuffer('image/png');
  const image = sharp(png).blur(0.3 + random() * 0.5);
  return options.gray
    ? image
        .grayscale()
        .jpeg({ quality: 70 + Math.floor(random() * 20) })
        .toBuffer()
    : image.png().toBuffer();
}
