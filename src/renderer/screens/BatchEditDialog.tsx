/**
 * Batch edit of the archive rows the clerk selected: the fields filled in here are set on every one of them
 * (documents:editMany), each document getting its own version and audit event; fields left empty stay as
 * they are. Documents the core refused are listed with their reason, the others are done.
 */
import { Alert, AutoComplete, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetadataChanges } from '../../shared/contract';
import type { BatchEditResult, CustomerRecord, DocumentTypeRecord } from '../../shared/model';
import { useApp } from '../context';
import { errorText } from '../format';

interface BatchValues {
  customer?: string;
  type?: string;
  signedDate?: string;
  status?: 'inbox' | 'filed';
  tags?: string[];
  reason?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Only what the clerk filled in is changed. */
function batchChanges(values: BatchValues): Partial<MetadataChanges> {
  const changes: Partial<MetadataChanges> = {};
  if (values.customer?.trim()) changes.customer = values.customer.trim();
  if (values.type) changes.type = values.type;
  if (values.signedDate?.trim()) changes.signedDate = values.signedDate.trim();
  if (values.status) changes.status = values.status;
  if (values.tags && values.tags.length > 0) changes.tags = values.tags;
  return changes;
}

export function BatchEditDialog({ documentIds, open, onClose }: { documentIds: number[]; open: boolean; onClose: (edited: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const { platform } = useApp();
  const [form] = Form.useForm<BatchValues>();
  const [customers, setCustomers] = useState<CustomerRecord[]>([]);
  const [types, setTypes] = useState<DocumentTypeRecord[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<BatchEditResult | null>(null);

  useEffect(() => {
    if (!open) return undefined;
    let current = true;
    Promise.all([platform.client.call('customers:list', {}), platform.client.call('documentTypes:list', {})]).then(
      ([customerList, typeList]) => {
        if (!current) return;
        setCustomers(customerList);
        setTypes(typeList);
      },
      (reason: unknown) => current && setError(errorText(t, reason)),
    );
    return () => {
      current = false;
    };
  }, [open, platform, t]);

  const customerOptions = useMemo(() => customers.map((customer) => ({ value: customer.name })), [customers]);
  const typeOptions = useMemo(
    () => types.map((type) => ({ value: type.code, label: i18n.language === 'zh-CN' ? type.nameZh : type.nameEn })),
    [types, i18n.language],
  );

  const close = () => {
    const edited = result !== null && result.edited > 0;
    form.resetFields();
    setResult(null);
    setError(null);
    onClose(edited);
  };

  const apply = async () => {
    let values: BatchValues;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows the problems inline
    }
    const changes = batchChanges(values);
    if (Object.keys(changes).length === 0) {
      setError(t('batch.nothing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setResult(
        await platform.client.call('documents:editMany', {
          refs: documentIds,
          changes: changes as MetadataChanges,
          ...(values.reason?.trim() ? { reason: values.reason.trim() } : {}),
        }),
      );
    } catch (reason) {
      setError(errorText(t, reason));
    } finally {
      setBusy(false);
    }
  };

  const failures = result?.outcomes.filter((outcome) => !outcome.ok) ?? [];

  return (
    <Modal
      open={open}
      title={t('batch.title', { count: documentIds.length })}
      onCancel={close}
      onOk={result ? close : () => void apply()}
      okText={result ? t('batch.close') : t('batch.apply', { count: documentIds.length })}
      cancelButtonProps={result ? { style: { display: 'none' } } : {}}
      okButtonProps={{ loading: busy }}
      rootClassName="batch-edit-dialog"
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('batch.intro')}</Typography.Paragraph>
      <Form<BatchValues> form={form} layout="vertical" disabled={result !== null}>
        <Form.Item name="customer" label={t('doc.fields.customer')} rules={[{ max: 200 }]}>
          <AutoComplete options={customerOptions} filterOption autoFocus aria-label={t('doc.fields.customer')} />
        </Form.Item>
        <Form.Item name="type" label={t('doc.fields.type')}>
          <Select allowClear options={typeOptions} aria-label={t('doc.fields.type')} />
        </Form.Item>
        <Form.Item
          name="signedDate"
          label={t('doc.fields.signedDate')}
          rules={[
            { validator: (_, value?: string) => (!value || DATE.test(value.trim()) ? Promise.resolve() : Promise.reject(new Error(t('doc.rules.date')))) },
          ]}
        >
          <Input placeholder={t('doc.placeholders.signedDate')} aria-label={t('doc.fields.signedDate')} />
        </Form.Item>
        <Form.Item name="status" label={t('doc.fields.status')}>
          <Select
            allowClear
            options={(['inbox', 'filed'] as const).map((value) => ({ value, label: t(`status.${value}`) }))}
            aria-label={t('doc.fields.status')}
          />
        </Form.Item>
        <Form.Item name="tags" label={t('doc.fields.tags')} extra={t('batch.tagsHint')}>
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} aria-label={t('doc.fields.tags')} />
        </Form.Item>
        <Form.Item name="reason" label={t('doc.fields.reason')} rules={[{ max: 500 }]}>
          <Input placeholder={t('doc.placeholders.reason')} aria-label={t('doc.fields.reason')} />
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
      {result ? (
        <Alert
          className="batch-result"
          type={result.failed === 0 ? 'success' : 'warning'}
          showIcon
          role="status"
          title={t('batch.done', { edited: result.edited, failed: result.failed })}
          description={
            failures.length > 0 ? (
              <ul className="batch-failures">
                {failures.map((failure) =>
                  failure.ok ? null : (
                    <li key={failure.ref} data-archive-no={failure.archiveNo ?? failure.ref}>
                      <span className="mono">{failure.archiveNo ?? failure.ref}</span>: {errorText(t, { code: failure.code, message: failure.message })}
                    </li>
                  ),
                )}
              </ul>
            ) : undefined
          }
        />
      ) : null}
    </Modal>
  );
}
