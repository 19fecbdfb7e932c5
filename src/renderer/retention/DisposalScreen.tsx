/**
 * Disposal (docs/retention.md): what is due on a day, a decision per document (dispose, keep, extend), the
 * request; the open batches, approved or rejected by another administrator; an approved batch's certificate
 * (销毁清册) written to a file the user names. The core refuses what a role or person may not do; the screen
 * only hides the buttons.
 */
import { Alert, Button, Card, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisposalBatch, DisposalDecision, RetentionState } from '../../shared/model';
import { useApp } from '../context';
import { errorText } from '../format';
import { BatchCard } from './BatchCard';

interface Decision {
  decision: DisposalDecision;
  extendUntil: string;
}

/** A candidate's decision before anyone touches it: what its type's schedule says. */
const initialDecision = (state: RetentionState): Decision => ({ decision: state.schedule?.action === 'dispose' ? 'dispose' : 'keep', extendUntil: '' });
const isCandidate = (state: RetentionState) => state.holds.length === 0 && state.pendingBatch === null;

export function DisposalScreen() {
  const { t } = useTranslation();
  const { platform, may, revision } = useApp();
  const [asOf, setAsOf] = useState<string | null>(null);
  const [due, setDue] = useState<RetentionState[] | null>(null);
  const [decisions, setDecisions] = useState<Record<string, Decision>>({});
  const [reason, setReason] = useState('');
  const [batches, setBatches] = useState<DisposalBatch[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [requested, setRequested] = useState<DisposalBatch | null>(null);

  const loadBatches = useCallback(async () => {
    setBatches(await platform.client.call('disposal:list', {}));
  }, [platform]);

  const loadDue = useCallback(async () => {
    setError(null);
    try {
      const answer = await platform.client.call('retention:due', asOf ? { asOf } : {});
      setDue(answer.items);
      setDecisions(Object.fromEntries(answer.items.filter(isCandidate).map((state) => [state.archiveNo, initialDecision(state)])));
    } catch (reason) {
      setError(errorText(t, reason));
    }
  }, [platform, asOf, t]);

  useEffect(() => {
    void loadBatches().catch((reason: unknown) => setError(errorText(t, reason)));
  }, [loadBatches, revision, t]);

  const decide = (archiveNo: string, change: Partial<Decision>) =>
    setDecisions((previous) => ({ ...previous, [archiveNo]: { ...previous[archiveNo]!, ...change } }));

  const request = async () => {
    setBusy(true);
    setError(null);
    try {
      const items = Object.entries(decisions).map(([ref, { decision, extendUntil }]) => ({ ref, decision, ...(decision === 'extend' ? { extendUntil } : {}) }));
      const batch = await platform.client.call('disposal:request', { items, reason: reason.trim(), ...(asOf ? { asOf } : {}) });
      setRequested(batch);
      setReason('');
      await Promise.all([loadDue(), loadBatches()]);
    } catch (reason) {
      setError(errorText(t, reason));
    } finally {
      setBusy(false);
    }
  };

  const onDecided = async () => {
    await Promise.all([loadBatches(), due ? loadDue() : Promise.resolve()]);
  };

  const candidates = Object.keys(decisions).length;
  const extendMissing = Object.values(decisions).some((decision) => decision.decision === 'extend' && decision.extendUntil === '');

  return (
    <div className="screen disposal-screen">
      <Space className="screen-toolbar" wrap>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('disposal.title')}
        </Typography.Title>
      </Space>
      <Card size="small" title={t('disposal.due.title')}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <span>{t('disposal.due.asOf')}</span>
            <DatePicker
              className="disposal-as-of"
              onChange={(_, day) => setAsOf(typeof day === 'string' && day !== '' ? day : null)}
              placeholder={t('disposal.due.today')}
            />
            <Button className="disposal-show-due" onClick={() => void loadDue()}>
              {t('disposal.due.show')}
            </Button>
          </Space>
          {due ? (
            <Table<RetentionState>
              className="disposal-due"
              rowKey="archiveNo"
              size="small"
              pagination={false}
              dataSource={due}
              locale={{ emptyText: t('disposal.due.none') }}
              columns={[
                { title: t('disposal.col.archiveNo'), dataIndex: 'archiveNo', render: (value: string) => <span className="mono">{value}</span> },
                { title: t('disposal.col.title'), dataIndex: 'title' },
                { title: t('disposal.col.customer'), dataIndex: 'customer', render: (value: string | null) => value ?? '—' },
                { title: t('disposal.col.type'), dataIndex: 'typeCode', render: (value: string | null) => value ?? '—' },
                { title: t('disposal.col.due'), dataIndex: 'dueDate' },
                {
                  title: t('disposal.col.decision'),
                  key: 'decision',
                  render: (_, state) => {
                    if (state.holds.length > 0) {
                      return state.holds.map((hold) => (
                        <Tag key={hold.id} color="red">
                          {t('disposal.held', { kind: t(`holds.kind.${hold.kind}`) })}
                        </Tag>
                      ));
                    }
                    if (state.pendingBatch !== null) return <Tag>{t('disposal.inBatch', { batch: state.pendingBatch })}</Tag>;
                    const decision = decisions[state.archiveNo];
                    if (!decision) return null;
                    return (
                      <Space>
                        <Select<DisposalDecision>
                          className="disposal-decision"
                          value={decision.decision}
                          onChange={(value) => decide(state.archiveNo, { decision: value })}
                          style={{ width: 140 }}
                          options={(['dispose', 'keep', 'extend'] as const).map((value) => ({ value, label: t(`disposal.decision.${value}`) }))}
                        />
                        {decision.decision === 'extend' ? (
                          <DatePicker
                            onChange={(_, day) => decide(state.archiveNo, { extendUntil: typeof day === 'string' ? day : '' })}
                            placeholder={t('disposal.extendUntil')}
                          />
                        ) : null}
                      </Space>
                    );
                  },
                },
              ]}
            />
          ) : null}
          {may('disposal:request') && candidates > 0 ? (
            <Space wrap>
              <Input
                className="disposal-reason"
                value={reason}
                onChange={(event) => setReason(event.target.value)}
                placeholder={t('disposal.reason')}
                style={{ width: 360 }}
              />
              <Button
                type="primary"
                className="disposal-request"
                disabled={reason.trim() === '' || extendMissing}
                loading={busy}
                onClick={() => void request()}
              >
                {t('disposal.request', { count: candidates })}
              </Button>
            </Space>
          ) : null}
          {requested ? (
            <Alert
              className="disposal-requested"
              type="success"
              showIcon
              role="status"
              title={t('disposal.requested', { batch: requested.id })}
              closable
              onClose={() => setRequested(null)}
            />
          ) : null}
          {error ? <Alert type="error" showIcon title={error} role="alert" closable onClose={() => setError(null)} /> : null}
        </Space>
      </Card>
      <Card size="small" title={t('disposal.batches')}>
        {batches.length === 0 ? <Typography.Text type="secondary">{t('disposal.noBatches')}</Typography.Text> : null}
        <Space orientation="vertical" style={{ width: '100%' }}>
          {batches.map((batch) => (
            <BatchCard key={batch.id} batch={batch} onDecided={onDecided} />
          ))}
        </Space>
      </Card>
    </div>
  );
}
