/**
 * Text as Excel in China saves a CSV: GBK / GB18030 bytes. Node can decode GB18030 (TextDecoder) but not
 * encode it, so the table of two-byte codes is built by decoding every one of them once.
 */
let table: Map<string, Buffer> | undefined;

function codeTable(): Map<string, Buffer> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gb18030');
  for (let lead = 0x81; lead <= 0xfe; lead += 1) {
    for (let trail = 0x40; trail <= 0xfe; trail += 1) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(Uint8Array.of(lead, trail));
      if (char.length === 1 && char !== '\uFFFD' && !table.has(char)) table.set(char, Buffer.from([lead, trail]));
    }
  }
  return table;
}

export function encodeGb18030(text: string): Buffer {
  const codes = codeTable();
  return Buffer.concat(
    Array.from(text, (char) => {
      if (char.charCodeAt(0) < 0x80) return Buffer.from(char, 'latin1');
      const bytes = codes.get(char);
      if (!bytes) throw new Error(`${char} has no two-byte GB18030 code`);
      return bytes;
    }),
  );
}
