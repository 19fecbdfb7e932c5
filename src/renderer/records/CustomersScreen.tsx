/**
 * Customers: the register with codes, CRM ids, aliases and signers; create and edit (a new name renames the
 * customer and keeps the old one as an alias), merge one customer into another, add signers, and import a
 * CSV file with a preview of what each row will do before anything is written.
 */
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerDetail, CustomerImportResult, SignerRecord } from '../../shared/records';
import { useApp } from '../context';
import { errorText } from '../format';
import { FilePick, uploadAll } from './FilePick';
import { useListAction } from '../use-list-action';

interface CustomerForm {
  name: string;
  code?: string;
  crmId?: string;
  aliases: string[];
  notes?: string;
  returnDeadlineDays: number;
}

interface SignerForm {
  name: string;
  title?: string;
  contact?: string;
  validFrom?: string;
  validTo?: string;
}

const PRESETS = ['auto', 'fxiaoke', 'zoho'] as const;

export function CustomersScreen() {
  const { t } = useTranslation();
  const { platform, may, revision } = useApp();
  const { message } = App.useApp();
  const client = platform.client;
  const [customers, setCustomers] = useState<CustomerDetail[]>([]);
  const [editing, setEditing] = useState<CustomerDetail | 'new' | null>(null);
  const [merging, setMerging] = useState<CustomerDetail | null>(null);
  const [addingSigner, setAddingSigner] = useState<CustomerDetail | null>(null);
  const [specimens, setSpecimens] = useState<{ signature: File[]; seal: File[] }>({ signature: [], seal: [] });
  const [importing, setImporting] = useState(false);
  const [customerForm] = Form.useForm<CustomerForm>();
  const [mergeForm] = Form.useForm<{ into: number; reason?: string }>();
  const [signerForm] = Form.useForm<SignerForm>();
  const mayEdit = may('customers:save');

  const load = useCallback(() => {
    client.call('customers:register', {}).then(setCustomers, (reason: unknown) => void message.error(errorText(t, reason)));
  }, [client, message, t]);
  useEffect(load, [load, revision]);

  const run = useListAction(load);

  const openEditor = (customer: CustomerDetail | 'new') => {
    setEditing(customer);
    customerForm.setFieldsValue(
      customer === 'new'
        ? { name: '', code: '', crmId: '', aliases: [], notes: '', returnDeadlineDays: 15 }
        : {
            name: customer.name,
            code: customer.code ?? '',
            crmId: customer.crmId ?? '',
            aliases: customer.aliases,
            notes: customer.notes,
            returnDeadlineDays: customer.returnDeadlineDays,
          },
    );
  };

  const saveCustomer = (fields: CustomerForm) =>
    void run(
      () =>
        client.call('customers:save', {
          ...(editing !== 'new' && editing ? { id: editing.id } : {}),
          name: fields.name,
          aliases: fields.aliases ?? [],
          code: fields.code ?? null,
          crmId: fields.crmId ?? null,
          notes: fields.notes ?? '',
          returnDeadlineDays: fields.returnDeadlineDays,
        }),
      t('customers.saved'),
    ).then((ok) => ok && setEditing(null));

  const signerColumns = [
    { title: t('customers.signer.name'), dataIndex: 'name' },
    { title: t('customers.signer.title'), dataIndex: 'title' },
    { title: t('customers.signer.contact'), dataIndex: 'contact' },
    {
      title: t('customers.signer.valid'),
      key: 'valid',
      render: (_: unknown, signer: SignerRecord) => `${signer.validFrom ?? '…'} – ${signer.validTo ?? '…'}`,
    },
  ];

  return (
    <Card
      title={t('customers.title')}
      className="customers-screen"
      extra={
        mayEdit ? (
          <Space>
            <Button onClick={() => setImporting(true)}>{t('customers.import.open')}</Button>
            <Button type="primary" onClick={() => openEditor('new')}>
              {t('customers.add')}
            </Button>
          </Space>
        ) : undefined
      }
    >
      <Table<CustomerDetail>
        rowKey="id"
        dataSource={customers}
        pagination={false}
        expandable={{
          expandedRowRender: (customer) => (
            <Table<SignerRecord> rowKey="id" size="small" dataSource={customer.signers} pagination={false} columns={signerColumns} />
          ),
        }}
        columns={[
          { title: t('customers.name'), dataIndex: 'name' },
          { title: t('customers.code'), dataIndex: 'code' },
          { title: t('customers.crmId'), dataIndex: 'crmId' },
          {
            title: t('customers.aliases'),
            dataIndex: 'aliases',
            render: (aliases: string[]) => aliases.map((alias) => <Tag key={alias}>{alias}</Tag>),
          },
          { title: t('customers.documents'), dataIndex: 'documents' },
          {
            title: '',
            key: 'actions',
            render: (_value, customer) =>
              mayEdit ? (
                <Space>
                  <Button size="small" onClick={() => openEditor(customer)} aria-label={`${t('customers.edit')} ${customer.name}`}>
                    {t('customers.edit')}
                  </Button>
                  <Button
                    size="small"
                    onClick={() => (setMerging(customer), mergeForm.resetFields())}
                    aria-label={`${t('customers.merge.open')} ${customer.name}`}
                  >
                    {t('customers.merge.open')}
                  </Button>
                  <Button
                    size="small"
                    onClick={() => (setAddingSigner(customer), setSpecimens({ signature: [], seal: [] }), signerForm.resetFields())}
                    aria-label={`${t('customers.signer.add')} ${customer.name}`}
                  >
                    {t('customers.signer.add')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />

      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('customers.add') : t('customers.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => customerForm.submit()}
        destroyOnHidden
        forceRender
      >
        <Form<CustomerForm> form={customerForm} layout="vertical" onFinish={saveCustomer} className="customer-form">
          <Form.Item name="name" label={t('customers.name')} rules={[{ required: true, whitespace: true, message: t('customers.nameRequired') }]}>
            <Input id="customer-name" />
          </Form.Item>
          <Form.Item name="code" label={t('customers.code')}>
            <Input id="customer-code" />
          </Form.Item>
          <Form.Item name="crmId" label={t('customers.crmId')}>
            <Input id="customer-crm" />
          </Form.Item>
          <Form.Item name="aliases" label={t('customers.aliases')}>
            <Select mode="tags" id="customer-aliases" open={false} />
          </Form.Item>
          <Form.Item name="returnDeadlineDays" label={t('customers.returnDeadline')} extra={t('customers.returnDeadlineHint')}>
            <InputNumber id="customer-return-deadline" min={1} max={365} precision={0} suffix={t('customers.days')} />
          </Form.Item>
          <Form.Item name="notes" label={t('customers.notes')}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={merging !== null}
        title={t('customers.merge.title', { name: merging?.name ?? '' })}
        onCancel={() => setMerging(null)}
        onOk={() => mergeForm.submit()}
        okText={t('customers.merge.confirm')}
        destroyOnHidden
        forceRender
      >
        <p>{t('customers.merge.explain')}</p>
        <Form<{ into: number; reason?: string }>
          form={mergeForm}
          layout="vertical"
          onFinish={({ into, reason }) =>
            void run(() => client.call('customers:merge', { from: merging!.id, into, ...(reason ? { reason } : {}) }), t('customers.merge.done')).then(
              (ok) => ok && setMerging(null),
            )
          }
        >
          <Form.Item name="into" label={t('customers.merge.into')} rules={[{ required: true, message: t('customers.merge.intoRequired') }]}>
            <Select
              id="merge-into"
              showSearch
              optionFilterProp="label"
              options={customers.filter((customer) => customer.id !== merging?.id).map((customer) => ({ value: customer.id, label: customer.name }))}
            />
          </Form.Item>
          <Form.Item name="reason" label={t('customers.reason')}>
            <Input id="merge-reason" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={addingSigner !== null}
        title={t('customers.signer.addTo', { name: addingSigner?.name ?? '' })}
        onCancel={() => setAddingSigner(null)}
        onOk={() => signerForm.submit()}
        destroyOnHidden
        forceRender
      >
        <Form<SignerForm>
          form={signerForm}
          layout="vertical"
          onFinish={(fields) =>
            void run(
              () =>
                Promise.all([uploadAll(platform.uploadFile, specimens.signature), uploadAll(platform.uploadFile, specimens.seal)]).then(
                  ([[signature], [seal]]) =>
                    client.call('signers:save', {
                      customer: addingSigner!.id,
                      name: fields.name,
                      title: fields.title ?? null,
                      contact: fields.contact ?? null,
                      validFrom: fields.validFrom || null,
                      validTo: fields.validTo || null,
                      ...(signature ? { signatureImage: signature } : {}),
                      ...(seal ? { sealImage: seal } : {}),
                    }),
                ),
              t('customers.signer.added'),
            ).then((ok) => ok && setAddingSigner(null))
          }
        >
          <Form.Item name="name" label={t('customers.signer.name')} rules={[{ required: true, whitespace: true, message: t('customers.nameRequired') }]}>
            <Input id="signer-name" />
          </Form.Item>
          <Form.Item name="title" label={t('customers.signer.title')}>
            <Input id="signer-title" />
          </Form.Item>
          <Form.Item name="contact" label={t('customers.signer.contact')}>
            <Input id="signer-contact" />
          </Form.Item>
          <Space>
            <Form.Item name="validFrom" label={t('customers.signer.validFrom')}>
              <Input id="signer-from" placeholder="YYYY-MM-DD" />
            </Form.Item>
            <Form.Item name="validTo" label={t('customers.signer.validTo')}>
              <Input id="signer-to" placeholder="YYYY-MM-DD" />
            </Form.Item>
          </Space>
          <Form.Item label={t('customers.signer.specimens')} extra={t('customers.signer.specimensHint')}>
            <Space orientation="vertical">
              <FilePick
                id="signer-signature"
                accept=".jpg,.jpeg,.png,image/jpeg,image/png"
                label={t('customers.signer.signatureImage')}
                files={specimens.signature}
                onChange={(signature) => setSpecimens((current) => ({ ...current, signature }))}
              />
              <FilePick
                id="signer-seal"
                accept=".jpg,.jpeg,.png,image/jpeg,image/png"
                label={t('customers.signer.sealImage')}
                files={specimens.seal}
                onChange={(seal) => setSpecimens((current) => ({ ...current, seal }))}
              />
            </Space>
          </Form.Item>
        </Form>
      </Modal>

      <ImportDialog open={importing} onClose={() => setImporting(false)} onImported={load} />
    </Card>
  );
}

/**
 * Choose a CSV or XLSX file, preview every row's action with the chosen preset, then import all rows or none. The
 * file is handed to the host again for the import: in the preview host an upload is used by one call only.
 */
function ImportDialog({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: () => void }) {
  const { t } = useTranslation();
  const { platform } = useApp();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [preset, setPreset] = useState<(typeof PRESETS)[number]>('auto');
  const [preview, setPreview] = useState<CustomerImportResult | null>(null);
  const upload = platform.uploadFile;

  const request = async (dryRun: boolean, chosen: File) => {
    const path = await upload!(chosen);
    return platform.client.call('customers:import', { path, dryRun, ...(preset === 'auto' ? {} : { preset }) });
  };
  const showPreview = (chosen: File) =>
    request(true, chosen).then(setPreview, (reason: unknown) => (setPreview(null), void message.error(errorText(t, reason))));

  const close = () => {
    setFile(null);
    setPreview(null);
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('customers.import.title')}
      onCancel={close}
      okButtonProps={{ disabled: preview === null || file === null }}
      okText={t('customers.import.confirm')}
      onOk={() =>
        void request(false, file!).then(
          (result) => {
            void message.success(t('customers.import.done', { created: result.created, updated: result.updated }));
            onImported();
            close();
          },
          (reason: unknown) => void message.error(errorText(t, reason)),
        )
      }
      width={720}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select
          id="import-preset"
          value={preset}
          onChange={(next) => (setPreset(next), setPreview(null))}
          options={PRESETS.map((value) => ({ value, label: t(`customers.import.presets.${value}`) }))}
          style={{ width: 240 }}
        />
        <Upload
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          showUploadList={false}
          disabled={!upload}
          beforeUpload={(chosen) => {
            setFile(chosen);
            void showPreview(chosen);
            return false;
          }}
        >
          <Button disabled={!upload}>{t('customers.import.choose')}</Button>
        </Upload>
        {file && preview === null ? (
          <Button onClick={() => void showPreview(file)} className="import-preview-again">
            {t('customers.import.preview')}
          </Button>
        ) : null}
        {preview ? (
          <Table
            className="import-preview"
            size="small"
            rowKey="line"
            dataSource={preview.rows}
            pagination={false}
            columns={[
              { title: t('customers.import.line'), dataIndex: 'line' },
              { title: t('customers.import.action'), dataIndex: 'action', render: (action: string) => t(`customers.import.actions.${action}`) },
              { title: t('customers.name'), dataIndex: 'name' },
              { title: t('customers.code'), dataIndex: 'code' },
              { title: t('customers.crmId'), dataIndex: 'crmId' },
            ]}
          />
        ) : null}
      </Space>
    </Modal>
  );
}
