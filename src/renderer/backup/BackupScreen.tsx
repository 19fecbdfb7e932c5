/**
 * Backup: last backup / last verified at the top (from archive:status), a target folder (chosen with the
 * system's folder chooser in the desktop app, typed in the preview; remembered per archive, else the
 * schedule's) and a passphrase (with a strength meter; the core's minimum is enforced by backup:create and
 * its message shown; never kept by the page) or age public keys, run a backup with live progress and ETA from
 * `jobs:progress`, the target's backup sets, verify with its result, a test restore (backup:testRestore),
 * prune after a confirmation, the schedule, and the restore wizard.
 */
import { Alert, App, Button, Card, Descriptions, Input, InputNumber, Progress, Space, Table, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../shared/events';
import type { BackupScheduleStatus } from '../../shared/backup-schedule';
import type { ArchiveStatus, BackupRecord, BackupResult, BackupSetInfo, BackupVerifyReport, TestRestoreReport } from '../../shared/model';
import { BackupScheduleCard } from '../settings/BackupScheduleCard';
import { useApp } from '../context';
import { errorText, formatDateTime } from '../format';
import { EMPTY_KEY, KeyFields, keyInput, keyReady, type KeyValue } from './KeyFields';
import { looksLikeIdentity } from './recipients';
import { FolderField } from './FolderField';
import { rememberTarget, startingTarget } from './remembered-target';
import { RestoreWizard } from './RestoreWizard';
import { TestRestoreResult } from './TestRestoreResult';
import { formatBytes } from './units';
import { durationText } from '../i18n/durations';

function RecordLine({ record }: { record: BackupRecord | null | undefined }) {
  const { t } = useTranslation();
  if (!record) return <Typography.Text type="warning">{t('backup.never')}</Typography.Text>;
  return (
    <span>
      <Typography.Text strong>{formatDateTime(record.at)}</Typography.Text>{' '}
      <Typography.Text type="secondary">
        {record.setId} → {record.target}
      </Typography.Text>
    </span>
  );
}

/** The job a button started, and the progress phase its events carry. */
const PHASES = { backup: 'backup', verify: 'verify', testRestore: 'restore' } as const;
type Job = keyof typeof PHASES;

export function BackupScreen() {
  const { t } = useTranslation();
  const { platform, revision, may } = useApp();
  const client = platform.client;
  const [status, setStatus] = useState<ArchiveStatus | null>(null);
  const [target, setTarget] = useState('');
  const [key, setKey] = useState<KeyValue>(EMPTY_KEY);
  /** Verifying a set made for public keys needs the matching identity, entered separately. */
  const [identity, setIdentity] = useState('');
  const [keep, setKeep] = useState(3);
  const [pruned, setPruned] = useState<{ removed: string[]; kept: string[] } | null>(null);
  const { modal } = App.useApp();
  const [busy, setBusy] = useState<Job | null>(null);
  const [schedule, setSchedule] = useState<BackupScheduleStatus | null>(null);
  const [testRestored, setTestRestored] = useState<TestRestoreReport | null>(null);
  /** Whether the folder was typed or chosen here; until then it follows what is remembered. */
  const targetTouched = useRef(false);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<BackupResult | null>(null);
  const [verified, setVerified] = useState<BackupVerifyReport | null>(null);
  const [sets, setSets] = useState<BackupSetInfo[] | null>(null);
  const busyRef = useRef(busy);
  busyRef.current = busy;

  const loadStatus = useCallback(() => {
    client.call('archive:status', {}).then(setStatus, (reason: unknown) => setError(errorText(t, reason)));
  }, [client, t]);
  useEffect(loadStatus, [loadStatus, revision]);

  useEffect(() => {
    client.call('backup:scheduleStatus', {}).then(setSchedule, (reason: unknown) => setError(errorText(t, reason)));
  }, [client, revision, t]);

  const archiveId = status?.archiveId ?? null;
  useEffect(() => {
    if (archiveId === null || schedule === null || targetTouched.current) return;
    setTarget(startingTarget(archiveId, schedule.schedule.target));
  }, [archiveId, schedule]);

  const chooseTarget = (path: string) => {
    targetTouched.current = true;
    setTarget(path);
  };

  useEffect(
    () =>
      client.on('jobs:progress', (payload) => {
        if (busyRef.current && PHASES[busyRef.current] === payload.phase) setProgress(payload);
      }),
    [client],
  );

  const listSets = async () => {
    try {
      setSets(await client.call('backup:list', { target }));
    } catch (reason) {
      setError(errorText(t, reason));
    }
  };

  const readKey = key.mode === 'passphrase' ? key : { ...key, keys: identity };
  /** With nothing typed, a test restore uses the passphrase the host keeps for scheduled backups. */
  const useKeptPassphrase = key.mode === 'passphrase' && key.passphrase === '' && schedule?.passphraseKept === true;

  const act = async (kind: Job) => {
    setBusy(kind);
    setError(null);
    setProgress(null);
    try {
      if (kind === 'backup') {
        setCreated(await client.call('backup:create', { target, ...keyInput(key, 'encrypt') }));
        setVerified(null);
      } else if (kind === 'verify') {
        setVerified(await client.call('backup:verify', { target, ...keyInput(readKey, 'read') }));
      } else {
        setTestRestored(null);
        setTestRestored(await client.call('backup:testRestore', { target, ...(useKeptPassphrase ? {} : keyInput(readKey, 'read')) }));
      }
      if (archiveId !== null) rememberTarget(archiveId, target.trim());
      loadStatus();
      await listSets();
    } catch (reason) {
      setError(errorText(t, reason));
    } finally {
      setBusy(null);
    }
  };

  const confirmPrune = () => {
    modal.confirm({
      title: t('backup.prune.confirmTitle'),
      content: t('backup.prune.confirm', { keep, target }),
      okText: t('backup.prune.run'),
      okButtonProps: { danger: true },
      cancelText: t('backup.prune.cancel'),
      onOk: async () => {
        setError(null);
        try {
          setPruned(await client.call('backup:prune', { target, keep }));
          await listSets();
        } catch (reason) {
          setError(errorText(t, reason));
        }
      },
    });
  };

  const targetReady = target.trim() !== '' && busy === null;
  const ready = targetReady && keyReady(key, 'encrypt');
  const verifyReady = targetReady && (key.mode === 'passphrase' ? key.passphrase !== '' : looksLikeIdentity(identity));
  const testRestoreReady = verifyReady || (targetReady && useKeptPassphrase);
  const percent = progress && progress.bytesTotal ? Math.round(((progress.bytesDone ?? 0) / progress.bytesTotal) * 100) : 0;

  return (
    <div className="screen backup-screen">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('backup.title')}
      </Typography.Title>
      <Card size="small" className="backup-status">
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('backup.lastBackup')}>
            <span className="last-backup">{status ? <RecordLine record={status.lastBackup} /> : '…'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('backup.lastVerified')}>
            <span className="last-verified">{status ? <RecordLine record={status.lastVerified} /> : '…'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('backup.lastVerifiedRestore')}>
            <span className="last-verified-restore">{status ? <RecordLine record={status.lastVerifiedRestore} /> : '…'}</span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('backup.run')}>
        <Space orientation="vertical" style={{ width: '100%', maxWidth: 640 }}>
          <label htmlFor="backup-target">{t('backup.target')}</label>
          <FolderField id="backup-target" purpose="backup-target" value={target} placeholder={t('backup.targetHint')} onChange={chooseTarget} />
          <KeyFields value={key} onChange={setKey} purpose="encrypt" idPrefix="backup" />
          <Typography.Text type="secondary" className="passphrase-kept-note">
            {platform.kind === 'preview'
              ? t('backupDesk.passphrase.preview')
              : schedule?.passphraseKept
                ? t('backupDesk.passphrase.kept')
                : t('backupDesk.passphrase.notKept')}
          </Typography.Text>
          {key.mode === 'keys' ? (
            <label>
              {t('backup.keys.verifyIdentity')}
              <Input.TextArea
                id="backup-identity"
                rows={2}
                spellCheck={false}
                value={identity}
                placeholder="AGE-SECRET-KEY-1…"
                onChange={(event) => setIdentity(event.target.value)}
              />
            </label>
          ) : null}
          <Space>
            <Button type="primary" disabled={!ready} loading={busy === 'backup'} onClick={() => void act('backup')}>
              {t('backup.create')}
            </Button>
            <Button disabled={!verifyReady} loading={busy === 'verify'} onClick={() => void act('verify')}>
              {t('backup.verify')}
            </Button>
            <Tooltip title={t('backupDesk.testRestore.hint')}>
              <Button className="test-restore" disabled={!testRestoreReady} loading={busy === 'testRestore'} onClick={() => void act('testRestore')}>
                {t('backupDesk.testRestore.run')}
              </Button>
            </Tooltip>
            <Button disabled={!target.trim() || busy !== null} onClick={() => void listSets()}>
              {t('backup.list')}
            </Button>
          </Space>
          {busy && progress ? (
            <div className="backup-progress">
              <Progress percent={percent} />
              <Typography.Text type="secondary">
                {t('backup.progress', {
                  phase: t(`backup.phase.${PHASES[busy]}`),
                  done: formatBytes(progress.bytesDone ?? 0),
                  total: formatBytes(progress.bytesTotal ?? 0),
                  eta: progress.etaMs === undefined ? '—' : durationText(t, progress.etaMs),
                })}
              </Typography.Text>
            </div>
          ) : null}
          {error ? <Alert className="backup-error" type="error" showIcon title={error} closable onClose={() => setError(null)} /> : null}
          {created ? (
            <Alert
              className="backup-created"
              type="success"
              showIcon
              title={t('backup.created', {
                setId: created.set.setId,
                size: formatBytes(created.set.bytes),
                documents: created.set.documents ?? '—',
                reused: created.blobsReused,
              })}
            />
          ) : null}
          {testRestored ? <TestRestoreResult report={testRestored} /> : null}
          {verified ? (
            <Alert
              className="backup-verified"
              type="success"
              showIcon
              title={t('backup.verified', {
                sets: verified.sets.length,
                files: verified.sets.reduce((sum, set) => sum + set.files, 0),
                size: formatBytes(verified.sets.reduce((sum, set) => sum + set.bytes, 0)),
              })}
            />
          ) : null}
        </Space>
      </Card>
      {sets ? (
        <Card size="small" title={t('backup.sets')}>
          <Table<BackupSetInfo>
            className="backup-sets"
            rowKey="setId"
            size="small"
            pagination={false}
            dataSource={sets}
            locale={{ emptyText: t('backup.noSets') }}
            columns={[
              { title: t('backup.col.setId'), dataIndex: 'setId', render: (value: string) => <span className="mono">{value}</span> },
              { title: t('backup.col.createdAt'), dataIndex: 'createdAt', render: (value: string) => formatDateTime(value) },
              { title: t('backup.col.documents'), dataIndex: 'documents', align: 'right', render: (value: number | null) => value ?? t('backup.sealed') },
              { title: t('backup.col.size'), dataIndex: 'bytes', align: 'right', render: (value: number) => formatBytes(value) },
              { title: t('backup.col.dependsOn'), dataIndex: 'dependsOn', render: (value: string[]) => (value.length ? value.join(', ') : t('backup.full')) },
            ]}
          />
          <Space className="backup-prune" style={{ marginTop: 12 }} wrap>
            <span>{t('backup.prune.keep')}</span>
            <InputNumber id="backup-keep" min={1} max={1000} value={keep} onChange={(value) => setKeep(value ?? 1)} />
            <Button danger disabled={!targetReady || sets.length === 0} onClick={confirmPrune}>
              {t('backup.prune.run')}
            </Button>
          </Space>
          {pruned ? (
            <Alert
              className="backup-pruned"
              type="info"
              showIcon
              style={{ marginTop: 8 }}
              title={t('backup.prune.done', { removed: pruned.removed.length, kept: pruned.kept.length })}
            />
          ) : null}
        </Card>
      ) : null}
      {may('settings:update') ? <BackupScheduleCard /> : null}
      <RestoreWizard initialTarget={target} />
    </div>
  );
}
