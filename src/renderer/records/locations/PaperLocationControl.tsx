/**
 * Where the open document's paper original is kept, in the drawer's title: a clerk picks a code from the
 * location list (`documents:setLocation`, a new version, so the drawer shows what the core answered); when
 * the place is a box, its label downloads as a PDF. Those who may not set it see the code only.
 */
import { PrinterOutlined } from '@ant-design/icons';
import { App, Button, Select, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail } from '../../../shared/model';
import type { StorageLocation } from '../../../shared/records';
import { useApp } from '../../context';
import { errorText } from '../../format';
import { saveExportedFile } from '../../ledger/download';

export function PaperLocationControl({ detail, onChanged }: { detail: DocumentDetail; onChanged: (detail: DocumentDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { platform, may, revision } = useApp();
  const [locations, setLocations] = useState<StorageLocation[]>([]);
  const [busy, setBusy] = useState(false);
  const editable = may('documents:setLocation') && detail.status !== 'voided';

  useEffect(() => {
    let cancelled = false;
    platform.client.call('locations:list', {}).then(
      (list) => !cancelled && setLocations(list),
      (reason: unknown) => void message.error(errorText(t, reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [platform, revision, message, t]);

  const place = async (code: string | null) => {
    setBusy(true);
    try {
      onChanged(await platform.client.call('documents:setLocation', { ref: detail.id, location: code }));
      void message.success(code === null ? t('locations.cleared') : t('locations.placed', { code }));
    } catch (reason) {
      void message.error(errorText(t, reason));
    } finally {
      setBusy(false);
    }
  };
  const downloadLabel = async (box: string) => {
    try {
      saveExportedFile(await platform.client.call('locations:boxLabelPdf', { box }));
    } catch (reason) {
      void message.error(errorText(t, reason));
    }
  };

  const current = locations.find((location) => location.code === detail.location);
  const labelButton =
    current?.kind === 'box' && may('locations:boxLabelPdf') ? (
      <Button size="small" icon={<PrinterOutlined />} className="box-label" onClick={() => void downloadLabel(current.code)}>
        {t('locations.boxLabel')}
      </Button>
    ) : null;

  if (!editable) {
    return detail.location ? (
      <>
        <Tag className="paper-location" title={t('doc.paperLocation')}>
          {t('doc.paperLocationShort', { code: detail.location })}
        </Tag>
        {labelButton}
      </>
    ) : null;
  }
  return (
    <>
      <Select<string>
        className="paper-location-select"
        aria-label={t('doc.paperLocation')}
        title={t('doc.paperLocation')}
        placeholder={t('locations.none')}
        size="small"
        style={{ minWidth: 150 }}
        allowClear
        loading={busy}
        disabled={busy}
        value={detail.location ?? undefined}
        options={locations.map((location) => ({ value: location.code, label: location.path.join(' / '), title: location.code }))}
        onChange={(code) => void place(code ?? null)}
      />
      {labelButton}
    </>
  );
}
