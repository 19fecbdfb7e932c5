/**
 * ExcelJS, loaded when a spreadsheet is first read or written: its ~200 files (and jszip, archiver…) cost
 * every CLI command ~0.3 s of CPU at start-up, and more reading them from a cold disk, though few use it.
 */
import type ExcelJS from 'exceljs';

export type ExcelJs = typeof ExcelJS;

export async function loadExcelJs(): Promise<ExcelJs> {
  return (await import('exceljs')).default;
}
