/**
 * How a backup is encrypted, or opened: a passphrase (with a strength meter when it is new), or age keys —
 * public keys (age1…, several) to encrypt to, a pasted identity (AGE-SECRET-KEY-1…) to read with.
 */
import { Input, Progress, Radio, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { looksLikeIdentity, parseRecipients } from './recipients';
import { passphraseStrength } from './strength';

const STRENGTH_COLOURS = { empty: '#d9d9d9', weak: '#ff4d4f', fair: '#faad14', strong: '#52c41a' } as const;

export type KeyMode = 'passphrase' | 'keys';

export interface KeyValue {
  mode: KeyMode;
  passphrase: string;
  /** Public keys when encrypting, the identity file text when reading. */
  keys: string;
}

export const EMPTY_KEY: KeyValue = { mode: 'passphrase', passphrase: '', keys: '' };

/** The key part of a contract call's input. */
export function keyInput(value: KeyValue, purpose: 'encrypt' | 'read'): { passphrase?: string; recipients?: string[]; identities?: string[] } {
  if (value.mode === 'passphrase') return { passphrase: value.passphrase };
  if (purpose === 'encrypt') return { recipients: parseRecipients(value.keys).valid };
  return { identities: [value.keys] };
}

export function keyReady(value: KeyValue, purpose: 'encrypt' | 'read'): boolean {
  if (value.mode === 'passphrase') return value.passphrase !== '';
  if (purpose === 'read') return looksLikeIdentity(value.keys);
  const { valid, invalid } = parseRecipients(value.keys);
  return valid.length > 0 && invalid.length === 0;
}

export function KeyFields({
  value,
  onChange,
  purpose,
  idPrefix,
}: {
  value: KeyValue;
  onChange: (value: KeyValue) => void;
  purpose: 'encrypt' | 'read';
  idPrefix: string;
}) {
  const { t } = useTranslation();
  const strength = passphraseStrength(value.passphrase);
  const recipients = parseRecipients(value.keys);
  return (
    <Space className="backup-key-fields" orientation="vertical" style={{ width: '100%' }}>
      <Radio.Group
        className={`${idPrefix}-key-mode`}
        value={value.mode}
        onChange={(event) => onChange({ ...value, mode: event.target.value as KeyMode })}
        options={[
          { value: 'passphrase', label: t('backup.keys.passphraseMode') },
          { value: 'keys', label: t(purpose === 'encrypt' ? 'backup.keys.recipientsMode' : 'backup.keys.identityMode') },
        ]}
      />
      {value.mode === 'passphrase' ? (
        <>
          <label>
            {t('backup.passphrase')}
            <Input.Password
              id={`${idPrefix}-passphrase`}
              value={value.passphrase}
              onChange={(event) => onChange({ ...value, passphrase: event.target.value })}
            />
          </label>
          {purpose === 'encrypt' ? (
            <div className="passphrase-strength" data-strength={strength.strength}>
              <Progress percent={strength.percent} showInfo={false} strokeColor={STRENGTH_COLOURS[strength.strength]} size="small" />
              <Typography.Text type="secondary">{t(`backup.strength.${strength.strength}`)}</Typography.Text>
            </div>
          ) : null}
        </>
      ) : purpose === 'encrypt' ? (
        <label>
          {t('backup.keys.recipients')}
          <Input.TextArea
            id={`${idPrefix}-recipients`}
            rows={3}
            spellCheck={false}
            value={value.keys}
            placeholder="age1…"
            onChange={(event) => onChange({ ...value, keys: event.target.value })}
          />
          <div className="backup-recipient-tags">
            {recipients.valid.map((key) => (
              <Tag key={key} color="green" className="mono">
                {`${key.slice(0, 12)}…${key.slice(-6)}`}
              </Tag>
            ))}
            {recipients.invalid.map((key) => (
              <Tag key={key} color="red" className="mono recipient-invalid">
                {key.length > 20 ? `${key.slice(0, 16)}…` : key}
              </Tag>
            ))}
          </div>
          <Typography.Text type={recipients.invalid.length > 0 ? 'danger' : 'secondary'}>
            {recipients.invalid.length > 0
              ? t('backup.keys.invalid', { count: recipients.invalid.length })
              : t('backup.keys.recipientsHint', { count: recipients.valid.length })}
          </Typography.Text>
        </label>
      ) : (
        <label>
          {t('backup.keys.identity')}
          <Input.TextArea
            id={`${idPrefix}-identity`}
            rows={3}
            spellCheck={false}
            value={value.keys}
            placeholder="AGE-SECRET-KEY-1…"
            onChange={(event) => onChange({ ...value, keys: event.target.value })}
          />
          <Typography.Text type={value.keys.trim() !== '' && !looksLikeIdentity(value.keys) ? 'danger' : 'secondary'}>
            {value.keys.trim() !== '' && !looksLikeIdentity(value.keys) ? t('backup.keys.notIdentity') : t('backup.keys.identityHint')}
          </Typography.Text>
        </label>
      )}
    </Space>
  );
}
