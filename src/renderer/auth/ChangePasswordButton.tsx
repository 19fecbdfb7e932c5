/** The header's key button: the logged-in user changes their own password (the current one is required). */
import { KeyOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD_LENGTH } from '../../shared/contract';
import { useApp } from '../context';
import { errorText } from '../format';

interface Fields {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

export function ChangePasswordButton() {
  const { t } = useTranslation();
  const { platform, user } = useApp();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<Fields>();
  if (!user) return null;

  const close = () => {
    setOpen(false);
    setError(null);
    form.resetFields();
  };
  const submit = async ({ currentPassword, newPassword }: Fields) => {
    setBusy(true);
    setError(null);
    try {
      await platform.client.call('auth:changePassword', { currentPassword, newPassword });
      void message.success(t('auth.passwordChanged'));
      close();
    } catch (reason) {
      setError(errorText(t, reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Tooltip title={t('auth.changePassword')}>
        <Button icon={<KeyOutlined />} onClick={() => setOpen(true)} aria-label={t('auth.changePassword')} />
      </Tooltip>
      <Modal open={open} title={t('auth.changePassword')} onCancel={close} onOk={() => form.submit()} okButtonProps={{ loading: busy }} destroyOnHidden>
        <Form<Fields> form={form} layout="vertical" requiredMark={false} onFinish={(fields) => void submit(fields)}>
          <Form.Item name="currentPassword" label={t('auth.currentPassword')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
            <Input.Password autoComplete="current-password" autoFocus />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('auth.newPassword')}
            rules={[
              { required: true, message: t('auth.passwordRequired') },
              { min: MIN_PASSWORD_LENGTH, message: t('auth.passwordTooShort', { count: MIN_PASSWORD_LENGTH }) },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="repeat"
            label={t('auth.repeatPassword')}
            dependencies={['newPassword']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_rule, value) =>
                  value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordsDiffer'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {error ? (
            <div role="alert" className="form-error">
              {error}
            </div>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}
