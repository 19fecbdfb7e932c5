/** Turns `--set field=value` arguments into the contract's metadata changes (validated by the contract). */
import { EDITABLE_FIELDS, type EditableField } from '../../shared/model';
import { SlipVaultError } from '../../shared/errors';

const FIELD_ALIASES: Record<string, EditableField> = Object.fromEntries([
  ...EDITABLE_FIELDS.map((field) => [field.toLowerCase(), field] as const),
  ['signed_date', 'signedDate'],
  ['signed-date', 'signedDate'],
  ['date', 'signedDate'],
  ['slip_no', 'slipNo'],
  ['slip-no', 'slipNo'],
  ['slip', 'slipNo'],
  ['tag', 'tags'],
]);

/** Empty values clear a field (`--set slipNo=`); tags are comma-separated. */
export function parseSetArguments(assignments: string[]): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) {
      throw new SlipVaultError('VALIDATION', `"${assignment}" is not field=value (e.g. --set amount=1200.50).`);
    }
    const name = assignment.slice(0, equals).trim();
    const value = assignment.slice(equals + 1);
    const field = FIELD_ALIASES[name.toLowerCase()];
    if (!field) {
      throw new SlipVaultError('VALIDATION', `Unknown field "${name}". Fields: ${EDITABLE_FIELDS.join(', ')}.`, { field: name });
    }
    if (field === 'tags') {
      changes.tags = value
        .split(/[,，]/)
        .map((tag) => tag.trim())
        .filter((tag) => tag.length > 0);
    } else if (field === 'title' || field === 'status' || field === 'notes') {
      changes[field] = value;
    } else {
      changes[field] = value.trim() === '' ? null : value;
    }
  }
  return changes;
}
