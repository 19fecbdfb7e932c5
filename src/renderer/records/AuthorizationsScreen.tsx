/**
 * Authorizations (授权书): every letter of authority with its state today (expiring ones with the warning
 * reached), create one — valid to a date or until revoked with a review date — and revoke one with the date
 * and the reason.
 */
import { App, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentTypeRecord } from '../../shared/model';
import type { AuthorizationRecord, AuthorizationState, CustomerDetail } from '../../shared/records';
import { useApp } from '../context';
import { errorText } from '../format';
import { FilePick, uploadAll } from './FilePick';
import { useListAction } from '../use-list-action';

const STATE_COLOURS: Record<AuthorizationState, string> = {
  draft: 'default',
  active: 'green',
  expiring: 'orange',
  expired: 'red',
  revoked: 'red',
  superseded: 'default',
};

interface NewAuthorization {
  customer: number;
  agents: string[];
  documentTypes: string[];
  amountCap?: string;
  validFrom: string;
  untilRevoked: boolean;
  validTo?: string;
  reviewDate?: string;
  verificationMethod?: string;
}

export function AuthorizationsScreen() {
  const { t, i18n } = useTranslation();
  const { platform, may, revision } = useApp();
  const { message } = App.useApp();
  const client = platform.client;
  const [records, setRecords] = useState<AuthorizationRecord[]>([]);
  const [customers, setCustomers] = useState<CustomerDetail[]>([]);
  const [types, setTypes] = useState<DocumentTypeRecord[]>([]);
  const [creating, setCreating] = useState(false);
  const [attachments, setAttachments] = useState<File[]>([]);
  const [revoking, setRevoking] = useState<AuthorizationRecord | null>(null);
  const [form] = Form.useForm<NewAuthorization>();
  const [revokeForm] = Form.useForm<{ revokedOn: string; reason: string }>();
  const untilRevoked = Form.useWatch('untilRevoked', form);
  const mayEdit = may('authorizations:save');

  const load = useCallback(() => {
    Promise.all([client.call('authorizations:list', {}), client.call('customers:register', {}), client.call('documentTypes:list', {})]).then(
      ([list, customerList, typeList]) => {
        setRecords(list);
        setCustomers(customerList);
        setTypes(typeList);
      },
      (reason: unknown) => void message.error(errorText(t, reason)),
    );
  }, [client, message, t]);
  useEffect(load, [load, revision]);

  const run = useListAction(load);

  const create = (fields: NewAuthorization) =>
    void run(
      () =>
        uploadAll(platform.uploadFile, attachments).then((verificationAttachments) =>
          client.call('authorizations:save', {
            customer: fields.customer,
            agents: fields.agents.map((name) => ({ name })),
            scope: { documentTypes: fields.documentTypes ?? [], amountCap: fields.amountCap ? fields.amountCap : null },
            validFrom: fields.validFrom,
            validTo: fields.untilRevoked ? null : (fields.validTo ?? null),
            ...(fields.untilRevoked && fields.reviewDate ? { reviewDate: fields.reviewDate } : {}),
            ...(fields.verificationMethod ? { verificationMethod: fields.verificationMethod } : {}),
            ...(verificationAttachments.length > 0 ? { verificationAttachments } : {}),
          }),
        ),
      t('authorizations.saved'),
    ).then((ok) => ok && setCreating(false));

  return (
    <Card
      title={t('authorizations.title')}
      className="authorizations-screen"
      extra={
        mayEdit ? (
          <Button type="primary" onClick={() => (setCreating(true), setAttachments([]), form.resetFields())}>
            {t('authorizations.add')}
          </Button>
        ) : undefined
      }
    >
      <Table<AuthorizationRecord>
        rowKey="id"
        dataSource={records}
        pagination={false}
        columns={[
          { title: '#', dataIndex: 'id' },
          { title: t('authorizations.customer'), dataIndex: 'customer' },
          {
            title: t('authorizations.agents'),
            dataIndex: 'agents',
            render: (agents: AuthorizationRecord['agents']) => agents.map((agent) => agent.name).join(', '),
          },
          {
            title: t('authorizations.state'),
            dataIndex: 'state',
            render: (state: AuthorizationState, record) => (
              <Tag color={STATE_COLOURS[state]} className={`auth-state auth-state-${state}`}>
                {record.warning ? t('authorizations.expiringIn', { days: record.daysToEnd }) : t(`authorizations.states.${state}`)}
              </Tag>
            ),
          },
          { title: t('authorizations.validFrom'), dataIndex: 'validFrom' },
          {
            title: t('authorizations.validTo'),
            key: 'end',
            render: (_value, record) => record.validTo ?? t('authorizations.untilRevokedReview', { date: record.reviewDate ?? '—' }),
          },
          {
            title: t('authorizations.scope'),
            key: 'scope',
            render: (_value, record) =>
              [
                record.scope.documentTypes
                  .map((code) => {
                    const type = types.find((candidate) => candidate.code === code);
                    return type ? (i18n.language === 'zh-CN' ? type.nameZh : type.nameEn) : code;
                  })
                  .join(', ') || t('authorizations.allTypes'),
                record.scope.amountCap ? t('authorizations.cap', { amount: record.scope.amountCap }) : null,
              ]
                .filter(Boolean)
                .join(' · '),
          },
          {
            title: '',
            key: 'actions',
            render: (_value, record) =>
              mayEdit && (record.state === 'active' || record.state === 'expiring') ? (
                <Button
                  size="small"
                  danger
                  onClick={() => (setRevoking(record), revokeForm.resetFields())}
                  aria-label={`${t('authorizations.revoke')} ${record.id}`}
                >
                  {t('authorizations.revoke')}
                </Button>
              ) : null,
          },
        ]}
      />

      <Modal open={creating} title={t('authorizations.add')} onCancel={() => setCreating(false)} onOk={() => form.submit()} destroyOnHidden forceRender>
        <Form<NewAuthorization> form={form} layout="vertical" onFinish={create} initialValues={{ untilRevoked: false, agents: [], documentTypes: [] }}>
          <Form.Item name="customer" label={t('authorizations.customer')} rules={[{ required: true, message: t('authorizations.customerRequired') }]}>
            <Select
              id="auth-customer"
              showSearch
              optionFilterProp="label"
              options={customers.map((customer) => ({ value: customer.id, label: customer.name }))}
            />
          </Form.Item>
          <Form.Item name="agents" label={t('authorizations.agents')} rules={[{ required: true, message: t('authorizations.agentsRequired') }]}>
            <Select id="auth-agents" mode="tags" open={false} />
          </Form.Item>
          <Form.Item name="documentTypes" label={t('authorizations.documentTypes')}>
            <Select
              id="auth-types"
              mode="multiple"
              options={types.map((type) => ({ value: type.code, label: i18n.language === 'zh-CN' ? type.nameZh : type.nameEn }))}
            />
          </Form.Item>
          <Form.Item name="amountCap" label={t('authorizations.amountCap')}>
            <Input id="auth-cap" placeholder="50000.00" />
          </Form.Item>
          <Form.Item name="validFrom" label={t('authorizations.validFrom')} rules={[{ required: true, message: t('authorizations.dateRequired') }]}>
            <Input id="auth-from" placeholder="YYYY-MM-DD" />
          </Form.Item>
          <Form.Item name="untilRevoked" label={t('authorizations.untilRevoked')} valuePropName="checked">
            <Switch id="auth-until-revoked" />
          </Form.Item>
          {untilRevoked ? (
            <Form.Item name="reviewDate" label={t('authorizations.reviewDate')} extra={t('authorizations.reviewDefault')}>
              <Input id="auth-review" placeholder="YYYY-MM-DD" />
            </Form.Item>
          ) : (
            <Form.Item name="validTo" label={t('authorizations.validTo')} rules={[{ required: true, message: t('authorizations.dateRequired') }]}>
              <Input id="auth-to" placeholder="YYYY-MM-DD" />
            </Form.Item>
          )}
          <Form.Item name="verificationMethod" label={t('authorizations.verification')}>
            <Input id="auth-verification" placeholder={t('authorizations.verificationExample')} />
          </Form.Item>
          <Form.Item label={t('authorizations.attachments')} extra={t('authorizations.attachmentsHint')}>
            <FilePick
              id="auth-attachments"
              accept=".jpg,.jpeg,.png,.tif,.tiff,.pdf,image/jpeg,image/png,image/tiff,application/pdf"
              multiple
              label={t('authorizations.attach')}
              files={attachments}
              onChange={setAttachments}
            />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={revoking !== null}
        title={t('authorizations.revokeTitle', { id: revoking?.id ?? '' })}
        onCancel={() => setRevoking(null)}
        onOk={() => revokeForm.submit()}
        okButtonProps={{ danger: true }}
        okText={t('authorizations.revoke')}
        destroyOnHidden
        forceRender
      >
        <Form<{ revokedOn: string; reason: string }>
          form={revokeForm}
          layout="vertical"
          onFinish={(fields) =>
            void run(() => client.call('authorizations:revoke', { id: revoking!.id, ...fields }), t('authorizations.revoked')).then(
              (ok) => ok && setRevoking(null),
            )
          }
        >
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Form.Item name="revokedOn" label={t('authorizations.revokedOn')} rules={[{ required: true, message: t('authorizations.dateRequired') }]}>
              <Input id="revoke-on" placeholder="YYYY-MM-DD" />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('authorizations.reason')}
              rules={[{ required: true, whitespace: true, message: t('authorizations.reasonRequired') }]}
            >
              <Input id="revoke-reason" />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </Card>
  );
}
