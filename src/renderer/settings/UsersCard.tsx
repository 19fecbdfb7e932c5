/** Settings → Users (administrators): add accounts, change roles, disable / re-enable, reset passwords. */
import { App, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD_LENGTH } from '../../shared/contract';
import { ROLES, type Role, type UserRecord } from '../../shared/model';
import { useApp } from '../context';
import { errorText, formatDateTime } from '../format';
import { useListAction } from '../use-list-action';

interface NewUser {
  username: string;
  displayName?: string;
  role: Role;
  password: string;
}

export function UsersCard() {
  const { t } = useTranslation();
  const { platform, user: me } = useApp();
  const { message } = App.useApp();
  const [users, setUsers] = useState<UserRecord[]>([]);
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<string | null>(null);
  const [addForm] = Form.useForm<NewUser>();
  const [resetForm] = Form.useForm<{ password: string }>();
  const client = platform.client;

  const load = useCallback(() => {
    client.call('users:list', {}).then(setUsers, (reason: unknown) => void message.error(errorText(t, reason)));
  }, [client, message, t]);
  useEffect(load, [load]);

  const run = useListAction(load);
  const roleOptions = ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }));

  return (
    <Card title={t('users.title')} extra={<Button onClick={() => setAdding(true)}>{t('users.add')}</Button>} data-testid="users-card">
      <Table<UserRecord>
        rowKey="username"
        dataSource={users}
        pagination={false}
        columns={[
          { title: t('auth.username'), dataIndex: 'username' },
          { title: t('auth.displayName'), dataIndex: 'displayName' },
          {
            title: t('users.role'),
            dataIndex: 'role',
            render: (role: Role, record) => (
              <Select
                value={role}
                options={roleOptions}
                style={{ width: 120 }}
                aria-label={`${t('users.role')} ${record.username}`}
                onChange={(next) => void run(() => client.call('users:update', { username: record.username, role: next }), t('users.saved'))}
              />
            ),
          },
          {
            title: t('users.active'),
            dataIndex: 'disabled',
            render: (disabled: boolean, record) =>
              record.username === me?.username ? (
                <Tag>{t('users.you')}</Tag>
              ) : (
                <Switch
                  checked={!disabled}
                  aria-label={`${t('users.active')} ${record.username}`}
                  onChange={(active) => void run(() => client.call('users:update', { username: record.username, disabled: !active }), t('users.saved'))}
                />
              ),
          },
          { title: t('users.created'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(at) },
          {
            title: '',
            key: 'reset',
            render: (_value, record) => <Button onClick={() => setResetting(record.username)}>{t('users.resetPassword')}</Button>,
          },
        ]}
      />
      <Modal open={adding} title={t('users.add')} onCancel={() => setAdding(false)} onOk={() => addForm.submit()} destroyOnHidden>
        <Form<NewUser>
          form={addForm}
          layout="vertical"
          initialValues={{ role: 'clerk' }}
          onFinish={(fields) =>
            void run(() => client.call('users:create', { ...fields, ...(fields.displayName ? {} : { displayName: undefined }) }), t('users.added')).then(
              (ok) => ok && (setAdding(false), addForm.resetFields()),
            )
          }
        >
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('auth.usernameRequired') }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t('auth.displayName')}>
            <Input />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')}>
            <Select options={roleOptions} />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('auth.password')}
            rules={[
              { required: true, message: t('auth.passwordRequired') },
              { min: MIN_PASSWORD_LENGTH, message: t('auth.passwordTooShort', { count: MIN_PASSWORD_LENGTH }) },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={resetting !== null}
        title={`${t('users.resetPassword')} · ${resetting ?? ''}`}
        onCancel={() => setResetting(null)}
        onOk={() => resetForm.submit()}
        destroyOnHidden
      >
        <Form<{ password: string }>
          form={resetForm}
          layout="vertical"
          onFinish={({ password }) =>
            void run(() => client.call('users:resetPassword', { username: resetting!, password }), t('users.saved')).then(
              (ok) => ok && (setResetting(null), resetForm.resetFields()),
            )
          }
        >
          <Space direction="vertical" style={{ width: '100%' }}>
            <Form.Item
              name="password"
              label={t('auth.newPassword')}
              rules={[
                { required: true, message: t('auth.passwordRequired') },
                { min: MIN_PASSWORD_LENGTH, message: t('auth.passwordTooShort', { count: MIN_PASSWORD_LENGTH }) },
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </Card>
  );
}
