/**
 * The list of places paper originals are kept (docs/customers.md, "Where the paper is"), for administrators:
 * cabinets hold shelves, a box sits in a cabinet or on a shelf. A row is added or its label and parent
 * changed through `locations:save`; the core refuses what the list cannot hold and the form shows why.
 */
import { Alert, App, Button, Card, Form, Input, Select, Space, Table } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCATION_KINDS, type LocationKind, type StorageLocation } from '../../../shared/records';
import { useApp } from '../../context';
import { errorText } from '../../format';

interface Draft {
  code: string;
  kind: LocationKind;
  label: string;
  parentCode: string | null;
}

const EMPTY: Draft = { code: '', kind: 'box', label: '', parentCode: null };

export function LocationsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { platform, revision } = useApp();
  const [locations, setLocations] = useState<StorageLocation[]>([]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    () => platform.client.call('locations:list', {}).then(setLocations, (reason: unknown) => setError(errorText(t, reason))),
    [platform, t],
  );
  useEffect(() => void load(), [load, revision]);

  const save = async () => {
    setError(null);
    try {
      const saved = await platform.client.call('locations:save', { ...draft, code: draft.code.trim() });
      void message.success(t('locations.saved', { code: saved.code }));
      setDraft(EMPTY);
      await load();
    } catch (reason) {
      setError(errorText(t, reason));
    }
  };

  // A box holds nothing; only cabinets and shelves can be a parent.
  const parents = locations.filter((location) => location.kind !== 'box' && location.code !== draft.code);

  return (
    <Card size="small" title={t('locations.title')} className="locations-card">
      <Table<StorageLocation>
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={locations}
        locale={{ emptyText: t('locations.empty') }}
        onRow={(location) => ({
          onClick: () => setDraft({ code: location.code, kind: location.kind, label: location.label, parentCode: location.parentCode }),
        })}
        columns={[
          { key: 'path', title: t('locations.code'), render: (_, location) => <span className="mono">{location.path.join(' / ')}</span> },
          { key: 'kind', title: t('locations.kind'), render: (_, location) => t(`locations.kinds.${location.kind}`) },
          { key: 'label', title: t('locations.label'), dataIndex: 'label' },
          { key: 'documents', title: t('locations.documents'), dataIndex: 'documents', align: 'right' },
        ]}
      />
      <Form layout="inline" className="location-form" onFinish={() => void save()} style={{ marginTop: 12 }}>
        <Space wrap>
          <Input
            id="location-code"
            aria-label={t('locations.code')}
            placeholder={t('locations.code')}
            value={draft.code}
            maxLength={40}
            onChange={(event) => setDraft({ ...draft, code: event.target.value })}
          />
          <Select<LocationKind>
            id="location-kind"
            aria-label={t('locations.kind')}
            value={draft.kind}
            style={{ width: 120 }}
            options={LOCATION_KINDS.map((kind) => ({ value: kind, label: t(`locations.kinds.${kind}`) }))}
            onChange={(kind) => setDraft({ ...draft, kind })}
          />
          <Select<string>
            id="location-parent"
            aria-label={t('locations.parent')}
            placeholder={t('locations.parent')}
            allowClear
            value={draft.parentCode ?? undefined}
            style={{ width: 160 }}
            options={parents.map((location) => ({ value: location.code, label: location.code }))}
            onChange={(parentCode) => setDraft({ ...draft, parentCode: parentCode ?? null })}
          />
          <Input
            id="location-label"
            aria-label={t('locations.label')}
            placeholder={t('locations.label')}
            value={draft.label}
            maxLength={200}
            onChange={(event) => setDraft({ ...draft, label: event.target.value })}
          />
          <Button type="primary" htmlType="submit" disabled={draft.code.trim() === ''}>
            {t('locations.save')}
          </Button>
        </Space>
      </Form>
      {error ? <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 12 }} /> : null}
    </Card>
  );
}
