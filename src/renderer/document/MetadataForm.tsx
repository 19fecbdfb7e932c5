/**
 * The metadata form. Rules mirror the contract's zod schema (src/shared/contract.ts) so mistakes show inline
 * while typing; the core validates again and its answer wins. Only changed fields are sent; Ctrl+S saves.
 * A save carries the version the form was filled from, so one made after someone else's save is refused
 * with their changes shown (EditConflictAlert) instead of silently undoing them.
 */
import { App, AutoComplete, Button, Col, Form, Input, Row, Select, Space, Tooltip } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetadataChanges } from '../../shared/contract';
import { EDITABLE_FIELDS, type CustomerRecord, type DocumentDetail, type DocumentMetadata, type DocumentTypeRecord } from '../../shared/model';
import { useApp } from '../context';
import { errorText } from '../format';
import { useHotkeys } from '../hotkeys';
import { EditConflictAlert, editConflictOf, type EditConflict } from './EditConflictAlert';

interface FormValues {
  title: string;
  customer: string;
  type: string | undefined;
  signedDate: string;
  slipNo: string;
  amount: string;
  currency: string;
  signer: string;
  status: 'inbox' | 'filed';
  tags: string[];
  notes: string;
  reason: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const AMOUNT = /^\d{1,13}(\.\d{1,2})?$/;
const CURRENCY = /^[A-Za-z]{3}$/;

function isRealDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function toValues(metadata: DocumentMetadata): FormValues {
  return {
    title: metadata.title,
    customer: metadata.customer ?? '',
    type: metadata.type ?? undefined,
    signedDate: metadata.signedDate ?? '',
    slipNo: metadata.slipNo ?? '',
    amount: metadata.amount ?? '',
    currency: metadata.currency ?? '',
    signer: metadata.signer ?? '',
    status: metadata.status === 'filed' ? 'filed' : 'inbox',
    tags: metadata.tags,
    notes: metadata.notes,
    reason: '',
  };
}

/** The form's values as contract changes: only what differs from the stored metadata. */
export function changedFields(metadata: DocumentMetadata, values: FormValues): Partial<Record<keyof MetadataChanges, unknown>> {
  const orNull = (value: string | undefined) => (value === undefined || value.trim() === '' ? null : value.trim());
  const next: DocumentMetadata = {
    title: values.title.trim(),
    customer: orNull(values.customer),
    type: orNull(values.type),
    signedDate: orNull(values.signedDate),
    slipNo: orNull(values.slipNo),
    amount: orNull(values.amount),
    currency: orNull(values.currency)?.toUpperCase() ?? null,
    signer: orNull(values.signer),
    status: metadata.status === 'voided' ? 'voided' : values.status,
    tags: values.tags,
    notes: values.notes,
  };
  const changes: Partial<Record<keyof MetadataChanges, unknown>> = {};
  for (const field of EDITABLE_FIELDS) {
    if (JSON.stringify(next[field]) !== JSON.stringify(metadata[field])) changes[field] = next[field];
  }
  return changes;
}

export function MetadataForm({ detail, onSaved }: { detail: DocumentDetail; onSaved: (detail: DocumentDetail) => void }) {
  const { t, i18n } = useTranslation();
  const { platform, may } = useApp();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [customers, setCustomers] = useState<CustomerRecord[]>([]);
  const [types, setTypes] = useState<DocumentTypeRecord[]>([]);
  // A voided document is history only; a role that may not change documents only reads (the core refuses anyway).
  const readOnly = detail.status === 'voided' || !may('documents:edit');
  /** What the form was filled from: the changes sent are the clerk's against it, and its version is the save's base. */
  const base = useRef({ id: detail.id, version: detail.currentVersion, metadata: detail.metadata });
  const [conflict, setConflict] = useState<EditConflict | null>(null);

  const fillFrom = (shown: DocumentDetail) => {
    base.current = { id: shown.id, version: shown.currentVersion, metadata: shown.metadata };
    // Not resetFields(): it mounts the fields again, and the title's autoFocus then takes the cursor from the field
    // the clerk is typing in whenever a fresh copy of the document arrives.
    const values = toValues(shown.metadata);
    form.setFields((Object.keys(values) as (keyof FormValues)[]).map((name) => ({ name, value: values[name], touched: false, errors: [], warnings: [] })));
    setConflict(null);
  };

  useEffect(() => {
    // A fresh copy of the document — another clerk's save shown live, or the echo of this clerk's own save — must
    // not wipe changes typed here: saving them meets the conflict instead (or, for the same version, just saves).
    // "Typed here" is what differs from the base, not antd's touched flag (a control may report a change on
    // mount): otherwise the form would stay on its base through the clerk's own page edits in this drawer.
    const typedHere = () => {
      const values = form.getFieldsValue(true) as Partial<FormValues>;
      if (values.title === undefined) return false;
      return Object.keys(changedFields(base.current.metadata, values as FormValues)).length > 0 || (values.reason ?? '').trim() !== '';
    };
    const unsavedHere = detail.id === base.current.id && form.isFieldsTouched() && typedHere();
    if (!unsavedHere) fillFrom(detail);
  }, [detail, form]);

  useEffect(() => {
    let cancelled = false;
    Promise.all([platform.client.call('customers:list', {}), platform.client.call('documentTypes:list', {})]).then(
      ([customerList, typeList]) => {
        if (cancelled) return;
        setCustomers(customerList);
        setTypes(typeList);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [platform]);

  const save = async () => {
    if (readOnly || saving) return;
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows the problems inline
    }
    const changes = changedFields(base.current.metadata, values);
    if (Object.keys(changes).length === 0) {
      void message.info(t('doc.nothingChanged'));
      return;
    }
    setSaving(true);
    try {
      const saved = await platform.client.call('documents:edit', {
        ref: detail.id,
        changes: changes as MetadataChanges,
        ...(values.reason.trim() ? { reason: values.reason.trim() } : {}),
        baseVersion: base.current.version,
      });
      // What the clerk typed while the save was on its way stays in the form, now against the saved version.
      const typedSince = (Object.keys(values) as (keyof FormValues)[]).filter(
        (field) => JSON.stringify(form.getFieldValue(field)) !== JSON.stringify(values[field]),
      );
      if (typedSince.length === 0) fillFrom(saved);
      else {
        base.current = { id: saved.id, version: saved.currentVersion, metadata: saved.metadata };
        if (!typedSince.includes('reason')) form.setFieldValue('reason', '');
      }
      onSaved(saved);
      void message.success(t('doc.saved', { version: saved.currentVersion }));
    } catch (reason) {
      const refused = editConflictOf(reason);
      if (refused) setConflict(refused);
      else void message.error(errorText(t, reason));
    } finally {
      setSaving(false);
    }
  };

  useHotkeys([{ combo: 'ctrl+s', run: () => void save() }]);

  const keepMine = () => {
    if (!conflict) return;
    // Reviewed: the next Save puts the clerk's own changes on top of the version that is current now.
    base.current = { ...base.current, version: conflict.currentVersion };
    setConflict(null);
  };

  const takeTheirs = async () => {
    try {
      const current = await platform.client.call('documents:get', { ref: detail.id });
      fillFrom(current);
      onSaved(current);
    } catch (reason) {
      void message.error(errorText(t, reason));
    }
  };

  const customerOptions = useMemo(() => customers.map((customer) => ({ value: customer.name, label: customer.name })), [customers]);
  const typeOptions = useMemo(
    () => types.map((type) => ({ value: type.code, label: i18n.language === 'zh-CN' ? type.nameZh : type.nameEn })),
    [types, i18n.language],
  );

  return (
    <Form<FormValues> form={form} layout="vertical" disabled={readOnly} className="metadata-form" onFinish={() => void save()}>
      <Form.Item name="title" label={t('doc.fields.title')} rules={[{ required: true, whitespace: true, message: t('doc.rules.titleRequired') }, { max: 300 }]}>
        <Input autoFocus />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="customer" label={t('doc.fields.customer')} rules={[{ max: 200 }]}>
            <AutoComplete options={customerOptions} filterOption />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="type" label={t('doc.fields.type')}>
            <Select allowClear options={typeOptions} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item
            name="signedDate"
            label={t('doc.fields.signedDate')}
            rules={[
              { validator: (_, value: string) => (!value || isRealDate(value.trim()) ? Promise.resolve() : Promise.reject(new Error(t('doc.rules.date')))) },
            ]}
          >
            <Input placeholder={t('doc.placeholders.signedDate')} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="slipNo" label={t('doc.fields.slipNo')} rules={[{ max: 100 }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="signer" label={t('doc.fields.signer')} rules={[{ max: 200 }]}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item
            name="amount"
            label={t('doc.fields.amount')}
            rules={[
              { validator: (_, value: string) => (!value || AMOUNT.test(value.trim()) ? Promise.resolve() : Promise.reject(new Error(t('doc.rules.amount')))) },
            ]}
          >
            <Input placeholder={t('doc.placeholders.amount')} inputMode="decimal" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name="currency"
            label={t('doc.fields.currency')}
            rules={[
              {
                validator: (_, value: string) =>
                  !value || CURRENCY.test(value.trim()) ? Promise.resolve() : Promise.reject(new Error(t('doc.rules.currency'))),
              },
            ]}
          >
            <Input placeholder={t('doc.placeholders.currency')} maxLength={3} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="status" label={t('doc.fields.status')}>
            <Select options={(['inbox', 'filed'] as const).map((value) => ({ value, label: t(`status.${value}`) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="tags" label={t('doc.fields.tags')}>
        <Select mode="tags" tokenSeparators={[',', '，']} open={false} />
      </Form.Item>
      <Form.Item name="notes" label={t('doc.fields.notes')} rules={[{ max: 20_000 }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
      </Form.Item>
      <Form.Item name="reason" label={t('doc.fields.reason')} rules={[{ max: 500 }]}>
        <Input placeholder={t('doc.placeholders.reason')} />
      </Form.Item>
      {conflict ? <EditConflictAlert conflict={conflict} onKeepMine={keepMine} onTakeTheirs={() => void takeTheirs()} /> : null}
      <Space>
        <Tooltip title={t('doc.saveShortcut')}>
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('doc.save')}
          </Button>
        </Tooltip>
        <Button onClick={() => fillFrom(detail)}>{t('doc.reset')}</Button>
      </Space>
    </Form>
  );
}
