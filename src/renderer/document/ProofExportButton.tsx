/**
 * Export a proof package (以备查证) of the open document: one ZIP an outsider can check without SlipVault.
 * The package goes into a folder the user names; the host asks the user to confirm that folder (desktop) or
 * accepts only folders under its --folder-root (browser preview), as for backups.
 */
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProofExportResult } from '../../shared/proof';
import { useApp } from '../context';
import { errorText } from '../format';

export function ProofExportButton({ archiveNo }: { archiveNo: string }) {
  const { t } = useTranslation();
  const { platform, may } = useApp();
  const [open, setOpen] = useState(false);
  const [out, setOut] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<ProofExportResult | null>(null);
  if (!may('proof:export')) return null;

  const close = () => {
    setOpen(false);
    setError(null);
    setDone(null);
  };
  const exportPackage = async () => {
    setBusy(true);
    setError(null);
    try {
      setDone(await platform.client.call('proof:export', { documents: [archiveNo], out: out.trim() }));
    } catch (reason) {
      setError(errorText(t, reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button icon={<SafetyCertificateOutlined />} onClick={() => setOpen(true)} className="proof-export">
        {t('proof.export')}
      </Button>
      <Modal
        open={open}
        title={t('proof.title', { archiveNo })}
        onCancel={close}
        onOk={done ? close : () => void exportPackage()}
        okText={done ? t('proof.close') : t('proof.export')}
        okButtonProps={{ loading: busy, disabled: !done && out.trim() === '' }}
        rootClassName="proof-export-dialog"
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('proof.intro')}</Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item label={t('proof.out')} help={t('proof.outHint')}>
            <Input value={out} onChange={(event) => setOut(event.target.value)} placeholder={`/…/${archiveNo}-proof.zip`} disabled={done !== null} />
          </Form.Item>
        </Form>
        {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
        {done ? (
          <Alert
            type="success"
            showIcon
            role="status"
            title={t('proof.done', { path: done.path })}
            description={<span className="mono">{t('proof.head', { seq: done.head.seq, hash: done.head.hash })}</span>}
          />
        ) : null}
      </Modal>
    </>
  );
}
