/**
 * The document drawer's retention tab: how long the document is kept and why, keeping it longer (never
 * shorter: the core refuses), its holds (its own and its customer's), placing a hold (clerks,
 * administrators) and lifting one with a reason (administrators).
 */
import { Alert, Button, DatePicker, Descriptions, Input, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HOLD_KINDS, type HoldKind, type HoldRecord, type RetentionState } from '../../shared/model';
import { useApp } from '../context';
import { errorText, formatDateTime } from '../format';

export function RetentionPanel({ archiveNo }: { archiveNo: string }) {
  const { t } = useTranslation();
  const { platform, may } = useApp();
  const [state, setState] = useState<RetentionState | null>(null);
  const [kind, setKind] = useState<HoldKind>('dispute');
  const [reason, setReason] = useState('');
  const [liftReasons, setLiftReasons] = useState<Record<number, string>>({});
  const [until, setUntil] = useState('');
  const [extendReason, setExtendReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setState(await platform.client.call('retention:document', { ref: archiveNo }));
  }, [platform, archiveNo]);
  useEffect(() => {
    void load().catch((reason: unknown) => setError(errorText(t, reason)));
  }, [load, t]);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      await load();
    } catch (reason) {
      setError(errorText(t, reason));
    }
  };
  const addHold = () =>
    act(async () => {
      await platform.client.call('holds:add', { ref: archiveNo, kind, reason: reason.trim() });
      setReason('');
    });
  const extend = () =>
    act(async () => {
      await platform.client.call('retention:extend', { ref: archiveNo, until, reason: extendReason.trim() });
      setExtendReason('');
    });
  const lift = (hold: HoldRecord) => act(() => platform.client.call('holds:lift', { id: hold.id, reason: (liftReasons[hold.id] ?? '').trim() }));

  if (!state) return error ? <Alert type="error" showIcon title={error} /> : null;
  const schedule = state.schedule;
  return (
    <div className="retention-panel">
      {state.disposed ? (
        <Alert type="warning" showIcon title={t('retention.disposed', { batch: state.disposed.batchId, at: formatDateTime(state.disposed.at) })} />
      ) : null}
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('retention.schedule')}>
          {schedule === null
            ? t('retention.noSchedule')
            : schedule.years === null
              ? t('retention.permanent')
              : t('retention.period', {
                  years: schedule.years,
                  start: t(`retention.start.${schedule.startEvent}`),
                  action: t(`retention.action.${schedule.action}`),
                })}
        </Descriptions.Item>
        {schedule ? <Descriptions.Item label={t('retention.basis')}>{schedule.basis}</Descriptions.Item> : null}
        <Descriptions.Item label={t('retention.dueDate')}>
          <span className="retention-due">{state.dueDate ?? t('retention.never')}</span>
          {state.retainUntil ? ` (${t('retention.extended', { date: state.retainUntil })})` : ''}
        </Descriptions.Item>
      </Descriptions>
      {may('retention:extend') && !state.disposed && schedule?.years !== null ? (
        <Space wrap style={{ marginBottom: 8 }}>
          <DatePicker className="retention-until" onChange={(_, day) => setUntil(typeof day === 'string' ? day : '')} placeholder={t('retention.until')} />
          <Input
            className="retention-extend-reason"
            value={extendReason}
            onChange={(event) => setExtendReason(event.target.value)}
            placeholder={t('retention.extendReason')}
            style={{ width: 280 }}
          />
          <Button className="retention-extend" disabled={until === '' || extendReason.trim() === ''} onClick={() => void extend()}>
            {t('retention.extend')}
          </Button>
        </Space>
      ) : null}
      <div className="retention-holds">
        <Typography.Text strong>{t('holds.title')}</Typography.Text>
        {state.holds.length === 0 ? <Typography.Paragraph type="secondary">{t('holds.none')}</Typography.Paragraph> : null}
        {state.holds.map((hold) => (
          <Space key={hold.id} wrap className="retention-hold" style={{ display: 'flex', marginTop: 4 }}>
            <Tag color="red">{t(`holds.kind.${hold.kind}`)}</Tag>
            <span>{hold.archiveNo ? t('holds.onDocument') : t('holds.onCustomer', { customer: hold.customer })}</span>
            <span>{hold.reason}</span>
            <span className="muted">
              {hold.placedBy} · {formatDateTime(hold.placedAt)}
            </span>
            {may('holds:lift') ? (
              <>
                <Input
                  size="small"
                  placeholder={t('holds.liftReason')}
                  value={liftReasons[hold.id] ?? ''}
                  onChange={(event) => setLiftReasons((previous) => ({ ...previous, [hold.id]: event.target.value }))}
                />
                <Button size="small" className="hold-lift" disabled={(liftReasons[hold.id] ?? '').trim() === ''} onClick={() => void lift(hold)}>
                  {t('holds.lift')}
                </Button>
              </>
            ) : null}
          </Space>
        ))}
      </div>
      {may('holds:add') && !state.disposed ? (
        <Space wrap style={{ marginTop: 8 }}>
          <Select<HoldKind>
            className="hold-kind"
            value={kind}
            onChange={setKind}
            style={{ width: 160 }}
            options={HOLD_KINDS.map((value) => ({ value, label: t(`holds.kind.${value}`) }))}
          />
          <Input
            className="hold-reason"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            placeholder={t('holds.reason')}
            style={{ width: 280 }}
          />
          <Button className="hold-add" disabled={reason.trim() === ''} onClick={() => void addHold()}>
            {t('holds.add')}
          </Button>
        </Space>
      ) : null}
      {error ? <Alert type="error" showIcon role="alert" style={{ marginTop: 8 }} title={error} closable onClose={() => setError(null)} /> : null}
    </div>
  );
}
