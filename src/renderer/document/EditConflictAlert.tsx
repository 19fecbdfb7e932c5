/**
 * A save refused because someone else saved the document after this form was filled (EDIT_CONFLICT): who,
 * when, and what they changed since the version the clerk started from. The clerk then either keeps their
 * own changes (saved on top of the other version with the next Save) or takes the other version.
 */
import { Alert, Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldChange, VersionDiff } from '../../shared/model';
import { formatDateTime } from '../format';

export interface EditConflict {
  changedBy: string;
  changedAt: string;
  currentVersion: number;
  diff: VersionDiff;
}

/** The conflict carried by a refused save, or null for any other failure. */
export function editConflictOf(error: unknown): EditConflict | null {
  const payload = error as { code?: unknown; details?: Partial<EditConflict> } | null;
  if (payload?.code !== 'EDIT_CONFLICT' || !payload.details?.diff) return null;
  const { changedBy, changedAt, currentVersion, diff } = payload.details;
  return typeof changedBy === 'string' && typeof changedAt === 'string' && typeof currentVersion === 'number'
    ? { changedBy, changedAt, currentVersion, diff }
    : null;
}

const shown = (value: FieldChange['from']) => (value === null ? '—' : Array.isArray(value) ? value.join(', ') : String(value));

export function EditConflictAlert({ conflict, onKeepMine, onTakeTheirs }: { conflict: EditConflict; onKeepMine: () => void; onTakeTheirs: () => void }) {
  const { t } = useTranslation();
  const textChanged = conflict.diff.text.some((line) => line.op !== 'equal');
  return (
    <Alert
      type="warning"
      showIcon
      className="edit-conflict"
      title={t('doc.conflict.title', { actor: conflict.changedBy, at: formatDateTime(conflict.changedAt), version: conflict.currentVersion })}
      description={
        <Space orientation="vertical">
          <ul className="edit-conflict-fields">
            {conflict.diff.fields.map((change) => (
              <li key={change.field}>
                {t(`doc.fields.${change.field}`)}: <del className="diff-removed">{shown(change.from)}</del> →{' '}
                <ins className="diff-added">{shown(change.to)}</ins>
              </li>
            ))}
            {conflict.diff.pages.length > 0 ? <li>{t('doc.conflict.pages', { count: conflict.diff.pages.length })}</li> : null}
            {textChanged ? <li>{t('doc.conflict.text')}</li> : null}
          </ul>
          <Typography.Text type="secondary">{t('doc.conflict.hint')}</Typography.Text>
          <Space>
            <Button size="small" onClick={onKeepMine}>
              {t('doc.conflict.keepMine')}
            </Button>
            <Button size="small" onClick={onTakeTheirs}>
              {t('doc.conflict.takeTheirs')}
            </Button>
          </Space>
        </Space>
      }
    />
  );
}
