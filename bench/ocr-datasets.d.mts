/** Types of bench/ocr-datasets.mjs for the TypeScript benchmarks. */
export interface DatasetItem {
  name: string;
  stem: string;
  file: string;
  mime: string;
  groundTruth: string;
  /** yyyy-mm-dd, or null when the label is in none of the known formats. */
  date: string | null;
  /** Two decimals; null where the set labels none (zh-docs). */
  total: string | null;
  /** Slips only. */
  slipNo?: string;
  customer?: string;
  /** The person who signed the slip (by hand: not in the printed ground truth). */
  signer?: string;
  lang?: string;
}
export const datasets: string;
export function cer(hypothesis: string, reference: string): number;
export function cerWithoutSpaces(hypothesis: string, reference: string): number;
export function mean(values: number[]): number;
export function median(values: number[]): number;
export function receipts(): DatasetItem[];
export function receiptsVal(): DatasetItem[];
export function slips(): DatasetItem[];
export function zhDocs(): DatasetItem[];
