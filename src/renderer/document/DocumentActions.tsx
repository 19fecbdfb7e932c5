/**
 * What the drawer's header offers for the whole document: save it as a PDF or print it (a cover page with its
 * metadata, then its pages — documents:exportPdf, audited as an export or a print), void it with a reason, or
 * take a void back with a reason (documents:unvoid). Voiding and un-voiding each make a new version.
 */
import { FilePdfOutlined, PrinterOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail } from '../../shared/model';
import { saveFile } from '../audit/save-file';
import { useApp } from '../context';
import { errorText } from '../format';
import { bytesOfBase64, printSlipPdf } from './print-slip';
import './slip-actions.css';

type ReasonAction = 'void' | 'unvoid';

/** Asks why, then voids or un-voids; a reason is required either way. */
function ReasonDialog({
  action,
  detail,
  onDone,
  onCancel,
}: {
  action: ReasonAction;
  detail: DocumentDetail;
  onDone: (saved: DocumentDetail) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { platform } = useApp();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    if (reason.trim() === '') {
      setError(t('slip.reasonRequired'));
      return;
    }
    setBusy(true);
    try {
      onDone(await platform.client.call(action === 'void' ? 'documents:void' : 'documents:unvoid', { ref: detail.id, reason: reason.trim() }));
    } catch (failure) {
      setError(errorText(t, failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t(`slip.${action}.title`, { archiveNo: detail.archiveNo })}
      okText={t(`slip.${action}.confirm`)}
      okButtonProps={{ loading: busy, danger: action === 'void' }}
      onOk={() => void submit()}
      onCancel={onCancel}
      rootClassName={`${action}-dialog`}
      destroyOnHidden
    >
      <Form layout="vertical" onFinish={() => void submit()}>
        <Form.Item label={t('slip.reason')} validateStatus={error ? 'error' : ''} help={error ?? t(`slip.${action}.hint`)} required>
          <Input
            autoFocus
            value={reason}
            maxLength={500}
            aria-label={t('slip.reason')}
            onChange={(event) => {
              setReason(event.target.value);
              setError(null);
            }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function DocumentActions({ detail, onChanged }: { detail: DocumentDetail; onChanged: (saved: DocumentDetail) => void }) {
  const { t } = useTranslation();
  const { platform, may } = useApp();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<'export' | 'print' | null>(null);
  const [asking, setAsking] = useState<ReasonAction | null>(null);

  const takePdf = async (purpose: 'export' | 'print') => {
    setBusy(purpose);
    try {
      const pdf = await platform.client.call('documents:exportPdf', { ref: detail.id, purpose });
      if (purpose === 'export') saveFile(new Blob([bytesOfBase64(pdf.pdfBase64)], { type: 'application/pdf' }), pdf.filename);
      else await printSlipPdf(pdf.pdfBase64);
    } catch (failure) {
      void message.error(errorText(t, failure));
    } finally {
      setBusy(null);
    }
  };

  const voided = detail.status === 'voided';
  return (
    <>
      {may('documents:exportPdf') ? (
        <>
          <Tooltip title={t('slip.exportHint')}>
            <Button icon={<FilePdfOutlined />} loading={busy === 'export'} onClick={() => void takePdf('export')} className="slip-export">
              {t('slip.export')}
            </Button>
          </Tooltip>
          <Tooltip title={t('slip.printHint')}>
            <Button icon={<PrinterOutlined />} loading={busy === 'print'} onClick={() => void takePdf('print')} className="slip-print">
              {t('slip.print')}
            </Button>
          </Tooltip>
        </>
      ) : null}
      {!voided && may('documents:void') ? (
        <Button danger icon={<StopOutlined />} onClick={() => setAsking('void')} className="slip-void">
          {t('slip.void.button')}
        </Button>
      ) : null}
      {voided && may('documents:unvoid') ? (
        <Button icon={<UndoOutlined />} onClick={() => setAsking('unvoid')} className="slip-unvoid">
          {t('slip.unvoid.button')}
        </Button>
      ) : null}
      {asking ? (
        <ReasonDialog
          action={asking}
          detail={detail}
          onCancel={() => setAsking(null)}
          onDone={(saved) => {
            setAsking(null);
            onChanged(saved);
            void message.success(t(`slip.${asking}.done`, { archiveNo: saved.archiveNo, version: saved.currentVersion }));
          }}
        />
      ) : null}
    </>
  );
}
