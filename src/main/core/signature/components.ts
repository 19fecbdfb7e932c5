/** Connected components of a binary mask (8-connected), with what the signed check measures of each. */

export interface Component {
  x0: number;
  y0: number;
  /** Exclusive. */
  x1: number;
  y1: number;
  pixels: number;
  /** Pixels with a background 4-neighbour: about twice the stroke length for a thin stroke. */
  edge: number;
  /** Pixels flagged in the `marked` mask given to `components` (pen-blue ink). */
  marked: number;
}

export const widthOf = (c: Component): number => c.x1 - c.x0;
export const heightOf = (c: Component): number => c.y1 - c.y0;
/** Mean stroke width: area over half the outline. */
export const strokeWidthOf = (c: Component): number => (2 * c.pixels) / Math.max(1, c.edge);

export function components(mask: Uint8Array, width: number, height: number, marked?: Uint8Array, minPixels = 1): Component[] {
  const label = new Int32Array(width * height);
  const stack: number[] = [];
  const found: Component[] = [];
  let next = 0;
  for (let start = 0; start < mask.length; start += 1) {
    if (!mask[start] || label[start]) continue;
    next += 1;
    label[start] = next;
    stack.push(start);
    const component: Component = { x0: width, y0: height, x1: 0, y1: 0, pixels: 0, edge: 0, marked: 0 };
    while (stack.length > 0) {
      const at = stack.pop()!;
      const x = at % width;
      const y = (at - x) / width;
      component.pixels += 1;
      if (marked?.[at]) component.marked += 1;
      if (x < component.x0) component.x0 = x;
      if (y < component.y0) component.y0 = y;
      if (x + 1 > component.x1) component.x1 = x + 1;
      if (y + 1 > component.y1) component.y1 = y + 1;
      const onEdge = x === 0 || y === 0 || x === width - 1 || y === height - 1 || !mask[at - 1] || !mask[at + 1] || !mask[at - width] || !mask[at + width];
      if (onEdge) component.edge += 1;
      for (let dy = -1; dy <= 1; dy += 1) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx += 1) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const neighbour = ny * width + nx;
          if (mask[neighbour] && !label[neighbour]) {
            label[neighbour] = next;
            stack.push(neighbour);
          }
        }
      }
    }
    if (component.pixels >= minPixels) found.push(component);
  }
  return found;
}

/** Clears horizontal and vertical runs of at least `minRun` pixels: table rules, underlines, box frames. */
export function clearRules(mask: Uint8Array, width: number, height: number, minRun: number): void {
  const lines = new Uint8Array(mask.length);
  for (let y = 0; y < height; y += 1) {
    let run = 0;
    for (let x = 0; x <= width; x += 1) {
      if (x < width && mask[y * width + x]) run += 1;
      else {
        if (run >= minRun) lines.fill(1, y * width + x - run, y * width + x);
        run = 0;
      }
    }
  }
  for (let x = 0; x < width; x += 1) {
    let run = 0;
    for (let y = 0; y <= height; y += 1) {
      if (y < height && mask[y * width + x]) run += 1;
      else {
        if (run >= minRun) for (let k = y - run; k < y; k += 1) lines[k * width + x] = 1;
        run = 0;
      }
    }
  }
  for (let i = 0; i < mask.length; i += 1) if (lines[i]) mask[i] = 0;
}
