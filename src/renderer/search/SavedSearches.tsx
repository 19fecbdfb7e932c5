/**
 * The saved-searches card of the Search screen. Memoised, with the name being typed kept here: typing in the
 * search box or in the name field draws this card (or the screen) and nothing else.
 */
import { Button, Card, Input, Popconfirm, Space, Typography } from 'antd';
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedSearch } from '../../shared/model';

interface SavedSearchesProps {
  saved: SavedSearch[];
  /** Whether there is a query to save (the search box is not empty). */
  canSave: boolean;
  onRun: (query: string) => void;
  /** Saves the query in the search box under `name`; resolves true when it was saved. */
  onSave: (name: string) => Promise<boolean>;
  onRemove: (name: string) => void;
}

export const SavedSearches = memo(function SavedSearches({ saved, canSave, onRun, onSave, onRemove }: SavedSearchesProps) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const save = async () => {
    if (await onSave(name)) setName('');
  };
  return (
    <Card size="small" title={t('search.saved.title')} className="saved-searches">
      <Space.Compact style={{ width: '100%', marginBottom: 8 }}>
        <Input value={name} placeholder={t('search.saved.name')} aria-label={t('search.saved.name')} onChange={(event) => setName(event.target.value)} />
        <Button onClick={() => void save()} disabled={!name.trim() || !canSave}>
          {t('search.saved.save')}
        </Button>
      </Space.Compact>
      {saved.length === 0 ? <Typography.Text type="secondary">{t('search.saved.none')}</Typography.Text> : null}
      {saved.map((entry) => (
        <div key={entry.id} className="saved-search" data-name={entry.name}>
          <Button type="link" size="small" onClick={() => onRun(entry.query)} title={entry.query}>
            {entry.name}
          </Button>
          <Popconfirm title={t('search.saved.removeConfirm', { name: entry.name })} onConfirm={() => onRemove(entry.name)}>
            <Button type="text" size="small" danger aria-label={t('search.saved.remove')}>
              ×
            </Button>
          </Popconfirm>
        </div>
      ))}
    </Card>
  );
});
