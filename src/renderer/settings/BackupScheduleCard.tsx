/**
 * The backup schedule (setting backupSchedule): on/off, daily or weekly at a time, a folder or a drive found
 * by its label, a passphrase (handed to the host's keychain, never stored in the archive) or age public
 * keys. Saved through settings:update, whose message is shown when the core refuses the schedule.
 */
import { Alert, App, Button, Card, Form, Input, Radio, Select, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupSchedule, BackupScheduleStatus, ScheduledTarget } from '../../shared/backup-schedule';
import { FolderField } from '../backup/FolderField';
import { parseRecipients } from '../backup/recipients';
import { useApp } from '../context';
import { formatDateTime } from '../format';
import { useBusyAction } from '../use-busy-action';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0] as const;

/** The target fields as typed: both kinds are kept while the user switches between them. */
interface TargetDraft {
  kind: ScheduledTarget['kind'];
  path: string;
  label: string;
  folder: string;
}

function targetDraft(target: ScheduledTarget | null): TargetDraft {
  if (target?.kind === 'drive') return { kind: 'drive', path: '', label: target.label, folder: target.folder };
  return { kind: 'folder', path: target?.path ?? '', label: '', folder: 'SlipVault' };
}

function targetOf(draft: TargetDraft): ScheduledTarget | null {
  if (draft.kind === 'folder') return draft.path.trim() ? { kind: 'folder', path: draft.path.trim() } : null;
  return draft.label.trim() ? { kind: 'drive', label: draft.label.trim(), folder: draft.folder.trim() } : null;
}

export function BackupScheduleCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { platform, revision } = useApp();
  const [status, setStatus] = useState<BackupScheduleStatus | null>(null);
  const [schedule, setSchedule] = useState<BackupSchedule | null>(null);
  const [target, setTarget] = useState<TargetDraft>(targetDraft(null));
  const [recipientsText, setRecipientsText] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const { busy, error, fail, run } = useBusyAction();

  useEffect(() => {
    let cancelled = false;
    platform.client.call('backup:scheduleStatus', {}).then(
      (value) => {
        if (cancelled) return;
        setStatus(value);
        setSchedule(value.schedule);
        setTarget(targetDraft(value.schedule.target));
        setRecipientsText(value.schedule.recipients.join('\n'));
      },
      (reason: unknown) => !cancelled && fail(reason),
    );
    return () => {
      cancelled = true;
    };
  }, [platform, revision, t]);

  if (!schedule || !status) return error ? <Alert type="error" showIcon title={error} /> : null;
  const recipients = parseRecipients(recipientsText);
  const change = (changes: Partial<BackupSchedule>) => setSchedule({ ...schedule, ...changes });

  const save = () =>
    run(async () => {
      const changes = { ...schedule, target: targetOf(target), recipients: schedule.mode === 'recipients' ? recipients.valid : [] };
      await platform.client.call('settings:update', { changes: { backupSchedule: changes } });
      setStatus(await platform.client.call('backup:scheduleStatus', {}));
      void message.success(t('schedule.saved'));
    });

  const keepPassphrase = () =>
    run(async () => {
      const { place } = await platform.client.call('backup:saveSchedulePassphrase', { passphrase });
      setPassphrase('');
      setStatus({ ...status, passphraseKept: true });
      void message.success(t('schedule.passphraseSaved', { place }));
    });

  return (
    <Card size="small" title={t('schedule.title')} className="backup-schedule">
      <Form layout="vertical" onFinish={() => void save()}>
        <Form.Item label={t('schedule.enabled')}>
          <Switch checked={schedule.enabled} onChange={(enabled) => change({ enabled })} aria-label={t('schedule.enabled')} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item label={t('schedule.frequency')}>
            <Radio.Group
              value={schedule.frequency}
              onChange={(event) => change({ frequency: event.target.value as BackupSchedule['frequency'] })}
              options={[
                { value: 'daily', label: t('schedule.daily') },
                { value: 'weekly', label: t('schedule.weekly') },
              ]}
              optionType="button"
            />
          </Form.Item>
          {schedule.frequency === 'weekly' ? (
            <Form.Item label={t('schedule.weekday')}>
              <Select
                style={{ width: 140 }}
                value={schedule.weekday}
                onChange={(weekday: number) => change({ weekday })}
                options={WEEKDAYS.map((day) => ({ value: day, label: t(`schedule.weekdays.${day}`) }))}
              />
            </Form.Item>
          ) : null}
          <Form.Item label={t('schedule.time')}>
            <Input
              type="time"
              value={schedule.time}
              onChange={(event) => event.target.value && change({ time: event.target.value })}
              aria-label={t('schedule.time')}
            />
          </Form.Item>
        </Space>
        <Form.Item label={t('schedule.target')} extra={target.kind === 'drive' ? t('schedule.driveHint') : t('schedule.folderHint')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Radio.Group
              value={target.kind}
              onChange={(event) => setTarget({ ...target, kind: event.target.value as TargetDraft['kind'] })}
              options={[
                { value: 'folder', label: t('schedule.folder') },
                { value: 'drive', label: t('schedule.drive') },
              ]}
            />
            {target.kind === 'folder' ? (
              <FolderField
                id="schedule-folder"
                purpose="backup-target"
                value={target.path}
                placeholder="/media/usb/slipvault-backup"
                onChange={(path) => setTarget({ ...target, path })}
              />
            ) : (
              <Space.Compact style={{ width: '100%' }}>
                <Input
                  value={target.label}
                  placeholder="BACKUP-A"
                  onChange={(event) => setTarget({ ...target, label: event.target.value })}
                  aria-label={t('schedule.driveLabel')}
                />
                <Input
                  className="mono"
                  value={target.folder}
                  placeholder="SlipVault"
                  onChange={(event) => setTarget({ ...target, folder: event.target.value })}
                  aria-label={t('schedule.driveFolder')}
                />
              </Space.Compact>
            )}
          </Space>
        </Form.Item>
        <Form.Item label={t('schedule.keys')}>
          <Radio.Group
            value={schedule.mode}
            onChange={(event) => change({ mode: event.target.value as BackupSchedule['mode'] })}
            options={[
              { value: 'passphrase', label: t('backup.keys.passphraseMode') },
              { value: 'recipients', label: t('backup.keys.recipientsMode') },
            ]}
          />
        </Form.Item>
        {schedule.mode === 'passphrase' ? (
          <Form.Item label={status.passphraseKept ? t('schedule.passphraseKept') : t('schedule.passphraseMissing')} extra={t('schedule.passphraseHint')}>
            <Space.Compact style={{ width: '100%' }}>
              <Input.Password
                value={passphrase}
                onChange={(event) => setPassphrase(event.target.value)}
                aria-label={t('schedule.passphrase')}
                autoComplete="new-password"
              />
              <Button onClick={() => void keepPassphrase()} disabled={passphrase === ''} loading={busy}>
                {t('schedule.savePassphrase')}
              </Button>
            </Space.Compact>
          </Form.Item>
        ) : (
          <Form.Item
            label={t('backup.keys.recipients')}
            validateStatus={recipients.invalid.length > 0 ? 'error' : undefined}
            help={recipients.invalid.length > 0 ? t('schedule.badRecipients', { count: recipients.invalid.length }) : undefined}
          >
            <Input.TextArea className="mono" rows={2} value={recipientsText} onChange={(event) => setRecipientsText(event.target.value)} />
          </Form.Item>
        )}
        {status.nextRunAt ? (
          <Typography.Paragraph type="secondary">{t('schedule.nextRun', { at: formatDateTime(status.nextRunAt) })}</Typography.Paragraph>
        ) : null}
        {status.problem ? (
          <Alert type="warning" showIcon title={t('schedule.problem', { at: formatDateTime(status.problem.at) })} description={status.problem.message} />
        ) : null}
        <Button type="primary" htmlType="submit" loading={busy} disabled={schedule.mode === 'recipients' && recipients.invalid.length > 0}>
          {t('schedule.save')}
        </Button>
        {error ? <Alert type="error" showIcon title={error} /> : null}
      </Form>
    </Card>
  );
}
