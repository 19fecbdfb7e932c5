/**
 * Tesseract separates every Chinese character with a space ("送 货 单"); Chinese is written without
 * spaces, so they are removed between two CJK characters (and CJK punctuation) and kept elsewhere.
 */
const CJK = '\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}]) +(?=[${CJK}])`, 'g');

export function joinCjkSpacing(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(SPACE_BETWEEN_CJK, '').replace(/[ \t]+$/, ''))
    .join('\n');
}
