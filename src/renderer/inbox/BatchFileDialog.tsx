/**
 * Batch filing (issue 19 item 6): the inbox documents the clerk picked share a customer, a type or a date;
 * those are filled once here (pre-filled where every picked document already shows the same value) and every
 * document is filed with them and with its own fields as its form shows them (inbox:fileMany). Each document
 * is filed alone — own version, own audit event, the filing rules of its type — and those refused are listed
 * with their reason. Keyboard-first: the cursor starts in the first empty field, Enter files.
 */
import { Alert, Form, Input, Modal, Typography } from 'antd';
import type { InputRef } from 'antd';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetadataChanges } from '../../shared/contract';
import type { BatchFileResult, CustomerRecord, DocumentTypeRecord, InboxItem } from '../../shared/model';
import { useApp } from '../context';
import { errorText } from '../format';
import { filingChanges, formValues, type Draft } from './filing';

/** The fields a batch shares; the rest (slip number, amount, …) are each document's own. */
const SHARED_FIELDS = ['customer', 'type', 'signedDate'] as const;
type SharedField = (typeof SHARED_FIELDS)[number];
type SharedValues = Record<SharedField, string>;

/** What every picked document already shows alike, so the clerk only fills what differs or is missing. */
function commonValues(items: InboxItem[], draftOf: (id: number) => Draft): SharedValues {
  const shown = items.map((item) => formValues(item, draftOf(item.document.id)));
  const common = (field: SharedField) => {
    const first = shown[0]?.[field].trim() ?? '';
    return shown.every((values) => values[field].trim() === first) ? first : '';
  };
  return { customer: common('customer'), type: common('type'), signedDate: common('signedDate') };
}

export interface BatchFiled {
  /** Ids of the documents filed. */
  filed: number[];
  result: BatchFileResult;
  /** Documents not sent because their own fields do not pass the contract (shown like the core's refusals). */
  notSent: { archiveNo: string; reason: string }[];
}

interface BatchFileDialogProps {
  items: InboxItem[];
  draftOf: (id: number) => Draft;
  customers: CustomerRecord[];
  documentTypes: DocumentTypeRecord[];
  onClose: (filed: BatchFiled | null) => void;
}

export function BatchFileDialog({ items, draftOf, customers, documentTypes, onClose }: BatchFileDialogProps) {
  const { t, i18n } = useTranslation();
  const { platform } = useApp();
  const [values, setValues] = useState<SharedValues>(() => commonValues(items, draftOf));
  const [override, setOverride] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputs = useRef<Partial<Record<SharedField, InputRef | null>>>({});

  // Where the cursor starts, decided once when the dialog opens: typing must not move it.
  const [startField] = useState<SharedField>(() => SHARED_FIELDS.find((field) => values[field] === '') ?? SHARED_FIELDS[0]);
  useEffect(() => {
    // The modal mounts its content before it is shown; focus once it is there.
    const timer = setTimeout(() => inputs.current[startField]?.focus({ cursor: 'all' }), 0);
    return () => clearTimeout(timer);
  }, [startField]);

  const file = async () => {
    if (busy) return;
    const shared: Partial<Record<SharedField, string>> = {};
    for (const field of SHARED_FIELDS) if (values[field].trim() !== '') shared[field] = values[field].trim();
    const notSent: BatchFiled['notSent'] = [];
    const sent: { ref: number; changes?: MetadataChanges }[] = [];
    for (const item of items) {
      // The shared fields win over what the document's own form shows for them.
      const check = filingChanges(item, { ...draftOf(item.document.id), edits: { ...draftOf(item.document.id).edits, ...shared } });
      if (check.ok) sent.push({ ref: item.document.id, ...(check.changes ? { changes: check.changes } : {}) });
      else notSent.push({ archiveNo: item.document.archiveNo, reason: Object.values(check.errors).join(' ') });
    }
    if (sent.length === 0) {
      setError(notSent.map((entry) => `${entry.archiveNo}: ${entry.reason}`).join(' · '));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await platform.client.call('inbox:fileMany', {
        items: sent,
        ...(Object.keys(shared).length > 0 ? { shared } : {}),
        // The forms already show the suggestions the clerk kept: file exactly what was seen.
        acceptSuggestions: false,
        ...(override.trim() ? { filingOverride: override.trim() } : {}),
      });
      const filedNumbers = new Set(result.outcomes.filter((outcome) => outcome.ok).map((outcome) => outcome.archiveNo));
      onClose({ filed: items.filter((item) => filedNumbers.has(item.document.archiveNo)).map((item) => item.document.id), result, notSent });
    } catch (reason) {
      setError(errorText(t, reason));
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void file();
  };

  const typeName = (code: string) => {
    const type = documentTypes.find((candidate) => candidate.code === code);
    return type ? (i18n.language === 'zh-CN' ? type.nameZh : type.nameEn) : null;
  };

  return (
    <Modal
      open
      title={t('inboxBatch.title', { count: items.length })}
      onCancel={() => onClose(null)}
      onOk={() => void file()}
      okText={t('inboxBatch.file', { count: items.length })}
      cancelText={t('inboxBatch.cancel')}
      okButtonProps={{ loading: busy, className: 'batch-file-submit' }}
      rootClassName="batch-file-dialog"
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('inboxBatch.intro')}</Typography.Paragraph>
      <ul className="batch-file-items">
        {items.map((item) => (
          <li key={item.document.id} className="mono">
            {item.document.archiveNo}
          </li>
        ))}
      </ul>
      <Form layout="horizontal" labelCol={{ flex: '96px' }}>
        {SHARED_FIELDS.map((field) => (
          <Form.Item
            key={field}
            label={t(`doc.fields.${field}`)}
            htmlFor={`batch-file-${field}`}
            extra={field === 'type' && values.type ? typeName(values.type.trim()) : undefined}
          >
            <Input
              id={`batch-file-${field}`}
              ref={(element) => {
                inputs.current[field] = element;
              }}
              value={values[field]}
              list={field === 'customer' ? 'batch-file-customers' : field === 'type' ? 'batch-file-types' : undefined}
              placeholder={field === 'signedDate' ? t('doc.placeholders.signedDate') : undefined}
              onChange={(event) => setValues((previous) => ({ ...previous, [field]: event.target.value }))}
              onKeyDown={onKeyDown}
              autoComplete="off"
            />
          </Form.Item>
        ))}
        <Form.Item label={t('inbox.form.override')} htmlFor="batch-file-override" extra={t('inboxBatch.overrideHint')}>
          <Input id="batch-file-override" value={override} onChange={(event) => setOverride(event.target.value)} onKeyDown={onKeyDown} autoComplete="off" />
        </Form.Item>
      </Form>
      <datalist id="batch-file-customers">
        {customers.map((customer) => (
          <option key={customer.id} value={customer.name} />
        ))}
      </datalist>
      <datalist id="batch-file-types">
        {documentTypes.map((type) => (
          <option key={type.code} value={type.code}>
            {i18n.language === 'zh-CN' ? type.nameZh : type.nameEn}
          </option>
        ))}
      </datalist>
      {error ? <Alert className="batch-file-error" type="error" showIcon title={error} role="alert" /> : null}
    </Modal>
  );
}
