/**
 * Document types, the keywords that suggest them and the fields they require to be filed
 * (docs/filing-rules.md): an editable table, one row saved at a time (documentTypes:save).
 */
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Input, Select, Table } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FILING_FIELDS, type DocumentTypeRecord, type FilingField } from '../../shared/model';
import { useApp } from '../context';
import { errorText } from '../format';

interface Row extends DocumentTypeRecord {
  /** Not yet stored: its code can still be typed. */
  isNew: boolean;
  dirty: boolean;
  /** Table row key: the code of a stored type; a new row keeps its own while its code is typed. */
  rowKey: string;
}

let newRows = 0;

export function DocumentTypesCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { platform, revision } = useApp();
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    platform.client.call('documentTypes:list', {}).then(
      (types) => !cancelled && setRows(types.map((type) => ({ ...type, isNew: false, dirty: false, rowKey: type.code }))),
      (reason: unknown) => !cancelled && setError(errorText(t, reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [platform, revision, t]);

  const edit = (index: number, changes: Partial<DocumentTypeRecord>) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...changes, dirty: true } : row)));

  const save = async (index: number) => {
    const { isNew: _isNew, dirty: _dirty, rowKey, ...type } = rows[index]!;
    setError(null);
    try {
      const saved = await platform.client.call('documentTypes:save', type);
      setRows((current) => current.map((row, i) => (i === index ? { ...saved, isNew: false, dirty: false, rowKey } : row)));
      void message.success(t('archiveSettings.typeSaved', { code: saved.code }));
    } catch (reason) {
      setError(errorText(t, reason));
    }
  };

  return (
    <Card
      size="small"
      title={t('archiveSettings.types')}
      className="document-types"
      extra={
        <Button
          icon={<PlusOutlined />}
          onClick={() =>
            setRows((current) => [
              ...current,
              { code: '', nameZh: '', nameEn: '', keywords: [], requiredFields: [], isNew: true, dirty: true, rowKey: `new-${(newRows += 1)}` },
            ])
          }
        >
          {t('archiveSettings.addType')}
        </Button>
      }
    >
      {error ? <Alert className="types-error" type="error" showIcon title={error} style={{ marginBottom: 8 }} /> : null}
      <Table
        size="small"
        pagination={false}
        rowKey="rowKey"
        dataSource={rows}
        columns={[
          {
            title: t('archiveSettings.typeCode'),
            width: 150,
            render: (_, row, index) =>
              row.isNew ? (
                <Input aria-label={t('archiveSettings.typeCode')} value={row.code} onChange={(event) => edit(index, { code: event.target.value })} />
              ) : (
                <span className="mono">{row.code}</span>
              ),
          },
          {
            title: t('archiveSettings.nameZh'),
            width: 130,
            render: (_, row, index) => (
              <Input aria-label={t('archiveSettings.nameZh')} value={row.nameZh} onChange={(event) => edit(index, { nameZh: event.target.value })} />
            ),
          },
          {
            title: t('archiveSettings.nameEn'),
            width: 160,
            render: (_, row, index) => (
              <Input aria-label={t('archiveSettings.nameEn')} value={row.nameEn} onChange={(event) => edit(index, { nameEn: event.target.value })} />
            ),
          },
          {
            title: t('archiveSettings.keywords'),
            render: (_, row, index) => (
              <Select
                mode="tags"
                className="type-keywords"
                style={{ width: '100%' }}
                aria-label={t('archiveSettings.keywords')}
                value={row.keywords}
                open={false}
                tokenSeparators={[',', '，']}
                onChange={(keywords: string[]) => edit(index, { keywords })}
              />
            ),
          },
          {
            title: t('archiveSettings.requiredFields'),
            width: 220,
            render: (_, row, index) => (
              <Select
                mode="multiple"
                className="type-required-fields"
                style={{ width: '100%' }}
                aria-label={t('archiveSettings.requiredFields')}
                value={row.requiredFields}
                options={FILING_FIELDS.map((field) => ({ value: field, label: t(`doc.fields.${field}`) }))}
                onChange={(requiredFields: FilingField[]) => edit(index, { requiredFields })}
              />
            ),
          },
          {
            width: 80,
            render: (_, row, index) => (
              <Button className="save-type" type={row.dirty ? 'primary' : 'default'} disabled={!row.dirty} onClick={() => void save(index)}>
                {t('archiveSettings.saveType')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
