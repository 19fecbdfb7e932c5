// Slip-number patterns on adversarial lines: JavaScript's backtracking RegExp (what extraction used before)
// against RE2 (re2js, what findSlipNumbers uses now), for line lengths where backtracking blows up.
// Usage: npx tsx bench/patterns.ts
import { performance } from 'node:perf_hooks';
import { findSlipNumbers } from '../src/main/core/extract/slip-numbers';

const CASES = [
  { pattern: '(\\d|\\d)*X', line: (length: number) => '1'.repeat(length) },
  { pattern: '(a+)+$', line: (length: number) => `${'a'.repeat(length - 1)}!` },
];
// Past 26 characters the backtracking side takes seconds and doubles with every character.
const LENGTHS = [16, 20, 24, 26];

function millis(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

console.log('| pattern | line length | backtracking RegExp (ms) | RE2 findSlipNumbers (ms) |');
console.log('| --- | ---: | ---: | ---: |');
for (const { pattern, line } of CASES) {
  for (const length of LENGTHS) {
    const text = line(length);
    const backtracking = millis(() => new RegExp(pattern, 'g').test(text));
    const linear = millis(() => findSlipNumbers(text, [pattern]));
    console.log(`| \`${pattern}\` | ${length} | ${backtracking.toFixed(1)} | ${linear.toFixed(2)} |`);
  }
}
// RE2 alone on the 30-character line the unit test uses, and on a long OCR line.
for (const { pattern, line } of CASES) {
  for (const length of [30, 5000])
    console.log(`RE2 \`${pattern}\` over ${length} characters: ${millis(() => findSlipNumbers(line(length), [pattern])).toFixed(2)} ms`);
}
