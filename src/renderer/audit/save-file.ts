/**
 * Hands data to the browser as a file download (Electron shows its save dialog). Through a blob: URL of the
 * page's own origin, because a download link to another origin (the page protocol) is followed as a
 * navigation instead, which the shell refuses.
 */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The download holds its own reference to the blob once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
