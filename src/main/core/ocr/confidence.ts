/** Word and page confidences (0–100), shared by the page reading and the second look at its fields. */
import type { OcrWord } from '../../../shared/model';

/** The mean confidence of a reading's words; 0 without words. */
export function meanConfidence(words: OcrWord[]): number {
  return words.length === 0 ? 0 : words.reduce((sum, word) => sum + word.confidence, 0) / words.length;
}

/** Confidences are stored to one decimal. */
export const toTenth = (value: number) => Math.round(value * 10) / 10;
