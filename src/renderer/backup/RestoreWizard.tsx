/**
 * Restore wizard: choose the target → pick a set (newest preselected) → passphrase or identity → an empty
 * or new destination folder → progress → result. Uses backup:restore, which writes a separate archive
 * into the new folder and never touches the open one.
 */
import { Alert, Button, Card, Input, Progress, Space, Steps, Table, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../shared/events';
import type { BackupSetInfo, RestoreResult } from '../../shared/model';
import { useApp } from '../context';
import { errorText, formatDateTime } from '../format';
import { EMPTY_KEY, KeyFields, keyInput, keyReady, type KeyValue } from './KeyFields';
import { formatBytes } from './units';
import { durationText } from '../i18n/durations';

const STEPS = ['target', 'set', 'key', 'destination', 'result'] as const;

export function RestoreWizard({ initialTarget }: { initialTarget: string }) {
  const { t } = useTranslation();
  const { platform } = useApp();
  const client = platform.client;
  const [step, setStep] = useState(0);
  const [target, setTarget] = useState(initialTarget);
  const [sets, setSets] = useState<BackupSetInfo[]>([]);
  const [setId, setSetId] = useState<string | null>(null);
  const [key, setKey] = useState<KeyValue>(EMPTY_KEY);
  const [into, setInto] = useState('');
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [result, setResult] = useState<RestoreResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const runningRef = useRef(running);
  runningRef.current = running;

  useEffect(
    () =>
      client.on('jobs:progress', (payload) => {
        if (runningRef.current && payload.phase === 'restore') setProgress(payload);
      }),
    [client],
  );

  const findSets = async () => {
    setError(null);
    try {
      const found = await client.call('backup:list', { target });
      setSets(found);
      if (found.length === 0) {
        setError(t('backup.noSets'));
        return;
      }
      setSetId(found[found.length - 1]!.setId);
      setStep(1);
    } catch (reason) {
      setError(errorText(t, reason));
    }
  };

  const restore = async () => {
    setStep(4);
    setRunning(true);
    setError(null);
    setProgress(null);
    setResult(null);
    try {
      setResult(await client.call('backup:restore', { target, into, ...(setId ? { setId } : {}), ...keyInput(key, 'read') }));
    } catch (reason) {
      setError(errorText(t, reason));
    } finally {
      setRunning(false);
    }
  };

  const restart = () => {
    setStep(0);
    setResult(null);
    setError(null);
    setKey(EMPTY_KEY);
    setInto('');
  };

  const percent = progress && progress.bytesTotal ? Math.round(((progress.bytesDone ?? 0) / progress.bytesTotal) * 100) : 0;
  const chosen = sets.find((set) => set.setId === setId);

  return (
    <Card size="small" title={t('backup.restore.title')} className="restore-wizard">
      <Space orientation="vertical" style={{ width: '100%', maxWidth: 760 }}>
        <Steps size="small" current={step} items={STEPS.map((name) => ({ title: t(`backup.restore.step.${name}`) }))} />
        {step === 0 ? (
          <>
            <label>
              {t('backup.target')}
              <Input id="restore-target" value={target} placeholder={t('backup.targetHint')} onChange={(event) => setTarget(event.target.value)} />
            </label>
            <Button type="primary" disabled={target.trim() === ''} onClick={() => void findSets()}>
              {t('backup.restore.findSets')}
            </Button>
          </>
        ) : null}
        {step === 1 ? (
          <>
            <Table<BackupSetInfo>
              className="restore-sets"
              rowKey="setId"
              size="small"
              pagination={false}
              dataSource={[...sets].reverse()}
              rowSelection={{ type: 'radio', selectedRowKeys: setId ? [setId] : [], onChange: (keys) => setSetId(String(keys[0])) }}
              columns={[
                { title: t('backup.col.setId'), dataIndex: 'setId', render: (value: string) => <span className="mono">{value}</span> },
                { title: t('backup.col.createdAt'), dataIndex: 'createdAt', render: (value: string) => formatDateTime(value) },
                { title: t('backup.col.size'), dataIndex: 'bytes', align: 'right', render: (value: number) => formatBytes(value) },
                {
                  title: t('backup.col.dependsOn'),
                  dataIndex: 'dependsOn',
                  render: (value: string[]) => (value.length ? t('backup.restore.relies', { count: value.length }) : t('backup.full')),
                },
              ]}
            />
            <Space>
              <Button onClick={() => setStep(0)}>{t('backup.restore.back')}</Button>
              <Button type="primary" disabled={!setId} onClick={() => setStep(2)}>
                {t('backup.restore.next')}
              </Button>
            </Space>
          </>
        ) : null}
        {step === 2 ? (
          <>
            <KeyFields value={key} onChange={setKey} purpose="read" idPrefix="restore" />
            <Space>
              <Button onClick={() => setStep(1)}>{t('backup.restore.back')}</Button>
              <Button type="primary" disabled={!keyReady(key, 'read')} onClick={() => setStep(3)}>
                {t('backup.restore.next')}
              </Button>
            </Space>
          </>
        ) : null}
        {step === 3 ? (
          <>
            <label>
              {t('backup.restore.into')}
              <Input id="restore-into" value={into} placeholder={t('backup.restore.intoHint')} onChange={(event) => setInto(event.target.value)} />
            </label>
            <Typography.Text type="secondary">{t('backup.restore.intoExplain', { setId: chosen?.setId ?? '' })}</Typography.Text>
            <Space>
              <Button onClick={() => setStep(2)}>{t('backup.restore.back')}</Button>
              <Button type="primary" className="restore-run" disabled={into.trim() === ''} onClick={() => void restore()}>
                {t('backup.restore.run')}
              </Button>
            </Space>
          </>
        ) : null}
        {step === 4 ? (
          <>
            {running ? (
              <div className="restore-progress">
                <Progress percent={percent} />
                <Typography.Text type="secondary">
                  {t('backup.progress', {
                    phase: t('backup.phase.restore'),
                    done: formatBytes(progress?.bytesDone ?? 0),
                    total: formatBytes(progress?.bytesTotal ?? 0),
                    eta: progress?.etaMs === undefined ? '—' : durationText(t, progress.etaMs),
                  })}
                </Typography.Text>
              </div>
            ) : null}
            {result ? (
              <Alert
                className="restore-result"
                type="success"
                showIcon
                title={t('backup.restore.done', {
                  setId: result.setId,
                  path: result.path,
                  files: result.files,
                  size: formatBytes(result.bytes),
                  sets: result.setsRead.length,
                })}
              />
            ) : null}
            {error ? <Alert className="restore-error" type="error" showIcon title={error} /> : null}
            {!running ? (
              <Space>
                {error ? <Button onClick={() => setStep(3)}>{t('backup.restore.back')}</Button> : null}
                <Button onClick={restart}>{t('backup.restore.again')}</Button>
              </Space>
            ) : null}
          </>
        ) : null}
        {error && step < 4 ? <Alert className="restore-error" type="error" showIcon title={error} closable onClose={() => setError(null)} /> : null}
      </Space>
    </Card>
  );
}
