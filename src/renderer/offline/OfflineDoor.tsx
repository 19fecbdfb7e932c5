/**
 * Under the login, once the server could not be reached: the way to the offline copies of the documents the
 * last user of that server opened here. Offered to that user only, and opened with their password — the
 * copies are sealed with a key derived from it, so this is not a login on the server and changes nothing.
 */
import { LockOutlined } from '@ant-design/icons';
import { Button, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfflineCopies } from '../../shared/server-connection';
import { errorText } from '../format';
import type { Platform } from '../platform/platform';

export function OfflineDoor({
  connection,
  user,
  onOpened,
}: {
  connection: NonNullable<Platform['connection']>;
  user: string;
  onOpened: (copies: OfflineCopies) => void;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ password: string }>();

  if (!asking) {
    return (
      <Space orientation="vertical" size={0} className="offline-door">
        <Typography.Text type="secondary">{t('offline.offer', { user })}</Typography.Text>
        <Button type="link" className="offline-door-open" onClick={() => setAsking(true)}>
          {t('offline.openFor', { user })}
        </Button>
      </Space>
    );
  }
  const open = async ({ password }: { password: string }) => {
    setBusy(true);
    setError(null);
    try {
      onOpened(await connection('connection:openOffline', { username: user, password }));
    } catch (reason) {
      setError(errorText(t, reason));
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" requiredMark={false} className="offline-door" onFinish={(fields) => void open(fields)}>
      <Typography.Paragraph type="secondary">{t('offline.passwordHint', { user })}</Typography.Paragraph>
      <Form.Item name="password" label={t('offline.password', { user })} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" autoFocus className="offline-door-password" />
      </Form.Item>
      {error ? (
        <Typography.Paragraph type="danger" role="alert">
          {error}
        </Typography.Paragraph>
      ) : null}
      <Button htmlType="submit" loading={busy} className="offline-door-submit">
        {t('offline.open')}
      </Button>
    </Form>
  );
}
