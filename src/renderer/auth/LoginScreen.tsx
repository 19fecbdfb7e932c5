/**
 * The three faces of the door: the first start creates the first administrator, a fresh window logs in,
 * and a locked window asks the same user for their password again (anyone else may log in instead).
 */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { MIN_PASSWORD_LENGTH, type SlipVaultClient } from '../../shared/contract';
import { isErrorPayload } from '../../shared/errors';
import type { SessionUser } from '../../shared/model';
import { errorText } from '../format';
import { DoorConnection } from '../connection/DoorConnection';
import type { Platform } from '../platform/platform';
import type { OfflineCopies } from '../../shared/server-connection';

export type DoorMode = 'setup' | 'login' | 'unlock';

/** A refused login in the user's language: the core says why in details.reason. */
function loginErrorText(t: TFunction, error: unknown): string {
  if (isErrorPayload(error) && error.code === 'UNAUTHENTICATED') {
    const reason = error.details?.reason;
    if (reason === 'wrong-credentials') return t('auth.wrongCredentials');
    if (reason === 'disabled') return t('auth.disabled');
    if (reason === 'throttled') return t('auth.throttled', { seconds: Number(error.details?.retryAfterSeconds ?? 1) });
  }
  return errorText(t, error);
}

interface Fields {
  username: string;
  displayName?: string;
  password: string;
  repeat?: string;
}

export function LoginScreen(props: {
  client: SlipVaultClient;
  mode: DoorMode;
  lockedUser?: string | null;
  onEnter: (user: SessionUser) => void;
  /** Where the host sends the calls (this computer's archive or a server), when it can connect to one. */
  connection?: Platform['connection'];
  /** The server could not be reached even before the login (the first status call). */
  serverUnreachable?: boolean;
  /** Opens the server's offline copies of recently opened documents (offered once it cannot be reached). */
  onOffline?: (copies: OfflineCopies) => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [unreachable, setUnreachable] = useState(false);
  const [form] = Form.useForm<Fields>();

  const submit = async (fields: Fields) => {
    setBusy(true);
    setError(null);
    try {
      const user =
        props.mode === 'setup'
          ? await props.client.call('auth:setup', {
              username: fields.username,
              password: fields.password,
              ...(fields.displayName ? { displayName: fields.displayName } : {}),
            })
          : await props.client.call('auth:login', { username: fields.username, password: fields.password });
      props.onEnter(user);
    } catch (reason) {
      setUnreachable(isErrorPayload(reason) && reason.code === 'SERVER_UNREACHABLE');
      setError(loginErrorText(t, reason));
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="door">
      <Card className="door-card" title={<span>{t(`auth.title.${props.mode}`)}</span>}>
        <Typography.Paragraph type="secondary">{t(`auth.intro.${props.mode}`)}</Typography.Paragraph>
        <Form<Fields>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ username: props.lockedUser ?? '' }}
          onFinish={(fields) => void submit(fields)}
          aria-label={t(`auth.title.${props.mode}`)}
        >
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('auth.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus={!props.lockedUser} />
          </Form.Item>
          {props.mode === 'setup' ? (
            <Form.Item name="displayName" label={t('auth.displayName')}>
              <Input />
            </Form.Item>
          ) : null}
          <Form.Item
            name="password"
            label={t('auth.password')}
            rules={[
              { required: true, message: t('auth.passwordRequired') },
              ...(props.mode === 'setup' ? [{ min: MIN_PASSWORD_LENGTH, message: t('auth.passwordTooShort', { count: MIN_PASSWORD_LENGTH }) }] : []),
            ]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete={props.mode === 'setup' ? 'new-password' : 'current-password'}
              autoFocus={Boolean(props.lockedUser)}
            />
          </Form.Item>
          {props.mode === 'setup' ? (
            <Form.Item
              name="repeat"
              label={t('auth.repeatPassword')}
              dependencies={['password']}
              rules={[
                { required: true, message: t('auth.passwordRequired') },
                ({ getFieldValue }) => ({
                  validator: (_rule, value) => (value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordsDiffer')))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          ) : null}
          {error ? <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} /> : null}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t(`auth.submit.${props.mode}`)}
          </Button>
        </Form>
      </Card>
      {props.connection ? (
        <DoorConnection
          connection={props.connection}
          serverUnreachable={unreachable || (props.serverUnreachable ?? false)}
          {...(props.onOffline ? { onOffline: props.onOffline } : {})}
        />
      ) : null}
    </div>
  );
}
