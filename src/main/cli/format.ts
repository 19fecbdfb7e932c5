/** Human-readable output of the CLI (stdout); --json bypasses all of this. */
import type { CheckReport, DocumentDetail, DocumentList, DocumentSummary, ImportResult, VersionDiff, VersionSummary } from '../../shared/model';

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => displayWidth(row[column] ?? '')))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell + ' '.repeat(Math.max(0, (widths[column] ?? 0) - displayWidth(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A size in binary units (1.5 MiB), as the backup and migrate commands report it. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** CJK characters take two terminal columns. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return width;
}

const dash = (value: string | null | undefined) => (value === null || value === undefined || value === '' ? '-' : value);

export function formatSummaries(items: DocumentSummary[]): string {
  if (items.length === 0) return 'No documents.';
  return table([
    ['ARCHIVE NO', 'STATUS', 'PAGES', 'V', 'CUSTOMER', 'SIGNED', 'AMOUNT', 'TITLE'],
    ...items.map((item) => [
      item.archiveNo,
      item.status,
      String(item.pageCount),
      String(item.currentVersion),
      dash(item.customer),
      dash(item.signedDate),
      item.amount === null ? '-' : `${item.amount} ${item.currency ?? ''}`.trim(),
      item.title,
    ]),
  ]);
}

export function formatList(list: DocumentList): string {
  const shown = list.items.length === 0 ? '' : ` (showing ${list.offset + 1}–${list.offset + list.items.length})`;
  return `${formatSummaries(list.items)}\n${list.total} document(s)${shown}`;
}

/** A path as a POSIX shell word: bare when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `processCommand`: the exact command that recognises the queued pages of this archive. */
export function formatImport(result: ImportResult, processCommand: string): string {
  const lines = result.imported.map(({ file, document }) => `imported  ${document.archiveNo}  ${document.pageCount} page(s)  ${file}`);
  lines.push(...result.failed.map(({ file, message }) => `FAILED    ${file}: ${message}`));
  lines.push(`${result.imported.length} imported, ${result.failed.length} failed`);
  const queuedPages = result.imported.reduce((pages, { document }) => pages + document.pageCount, 0);
  if (queuedPages > 0) lines.push(`${queuedPages} page(s) queued for OCR: run \`${processCommand}\` to recognise them.`);
  return lines.join('\n');
}

export function formatDetail(doc: DocumentDetail): string {
  const m = doc.metadata;
  const lines = [
    `${doc.archiveNo}  (id ${doc.id}, version ${doc.currentVersion}, ${doc.status})`,
    `  title       ${m.title}`,
    `  customer    ${dash(m.customer)}`,
    `  type        ${dash(m.type)}`,
    `  signedDate  ${dash(m.signedDate)}`,
    `  slipNo      ${dash(m.slipNo)}`,
    `  amount      ${m.amount === null ? '-' : `${m.amount} ${m.currency ?? ''}`.trim()}`,
    `  signer      ${dash(m.signer)}`,
    `  tags        ${m.tags.length ? m.tags.join(', ') : '-'}`,
    `  notes       ${dash(m.notes)}`,
  ];
  if (doc.voidReason) lines.push(`  voided      ${doc.voidReason}`);
  lines.push(`  pages       ${doc.pages.length}`);
  doc.pages.forEach((page, index) => {
    lines.push(`    ${index + 1}. page ${page.pageId}  blob ${page.blobHash.slice(0, 12)}…  source page ${page.sourcePage + 1}  rotation ${page.rotation}°`);
  });
  lines.push(`  files`);
  for (const file of doc.files) lines.push(`    ${file.filename}  ${file.mime}  ${file.size} bytes  imported ${file.importedAt}`);
  return lines.join('\n');
}

export function formatHistory(archiveNo: string, versions: VersionSummary[]): string {
  return `${archiveNo}\n${table([
    ['V', 'WHEN', 'WHO', 'WHAT', 'WHY'],
    ...versions.map((version) => [String(version.number), version.createdAt, version.actor, version.action, dash(version.reason)]),
  ])}`;
}

const show = (value: unknown) => (value === null ? '∅' : Array.isArray(value) ? `[${value.join(', ')}]` : JSON.stringify(value));

export function formatDiff(diff: VersionDiff): string {
  const lines = [`${diff.archiveNo}: version ${diff.from} → ${diff.to}`];
  if (diff.fields.length === 0 && diff.pages.length === 0) lines.push('  no changes');
  for (const change of diff.fields) lines.push(`  ${change.field}: ${show(change.from)} → ${show(change.to)}`);
  for (const change of diff.pages) {
    switch (change.kind) {
      case 'added':
        lines.push(`  page ${change.pageId} added at position ${change.position}`);
        break;
      case 'removed':
        lines.push(`  page ${change.pageId} removed from position ${change.position}`);
        break;
      case 'moved':
        lines.push(`  page ${change.pageId} moved ${change.from} → ${change.to}`);
        break;
      case 'rotated':
        lines.push(`  page ${change.pageId} rotated ${change.from}° → ${change.to}°`);
        break;
      case 'text':
        lines.push(`  page ${change.pageId} text changed`);
        break;
    }
  }
  const textChanges = diff.text.filter((line) => line.op !== 'equal');
  if (textChanges.length > 0) {
    lines.push('  text:');
    for (const line of textChanges) lines.push(`    ${line.op === 'added' ? '+' : '-'} ${line.line}`);
  }
  return lines.join('\n');
}

export function formatCheck(report: CheckReport): string {
  const { counts } = report;
  const summary = `${counts.documents} documents, ${counts.pages} pages, ${counts.blobs} files, ${counts.versions} versions, ${counts.auditEvents} audit events`;
  if (report.ok) return `Archive OK: ${summary}.`;
  const lines = [`Archive has ${report.problems.length} problem(s) (${summary}):`];
  for (const problem of report.problems) {
    const affects = problem.documents.length ? ` [${problem.documents.join(', ')}]` : '';
    lines.push(`  ${problem.kind}: ${problem.message}${affects}`);
  }
  return lines.join('\n');
}
