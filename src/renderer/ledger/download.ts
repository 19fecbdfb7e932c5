/** Saves a file the core handed back as base64 (exports, reminder letters). */
import type { ExportedFile } from '../../shared/model';
import { saveFile } from '../audit/save-file';

export function saveExportedFile(file: ExportedFile): void {
  const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
  saveFile(new Blob([bytes], { type: file.mime }), file.filename);
}
