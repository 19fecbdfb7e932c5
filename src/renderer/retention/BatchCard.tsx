/**
 * One disposal batch: its items and decisions; while requested, approve or reject with a reason (another
 * administrator than the requester — the core refuses the requester, the button is hidden for them); once
 * approved, what approval removed and the certificate written to a file.
 */
import { Alert, Button, Descriptions, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisposalApproval, DisposalBatch, DisposalItem } from '../../shared/model';
import { useApp } from '../context';
import { formatDateTime } from '../format';
import { useBusyAction } from '../use-busy-action';

const STATUS_COLOURS: Record<DisposalBatch['status'], string> = { requested: 'gold', approved: 'green', rejected: 'default' };

export function BatchCard({ batch, onDecided }: { batch: DisposalBatch; onDecided: () => Promise<void> }) {
  const { t } = useTranslation();
  const { platform, may, user } = useApp();
  const [reason, setReason] = useState('');
  const [out, setOut] = useState('');
  const { busy, error, clearError, run } = useBusyAction();
  const [approval, setApproval] = useState<DisposalApproval | null>(null);
  const [written, setWritten] = useState<string | null>(null);
  const mayDecide = batch.status === 'requested' && may('disposal:approve') && user?.username.toLowerCase() !== batch.requestedBy.toLowerCase();

  const approve = () =>
    run(async () => {
      const result = await platform.client.call('disposal:approve', { batch: batch.id, reason: reason.trim() });
      setApproval(result);
      await onDecided();
    });
  const reject = () =>
    run(async () => {
      await platform.client.call('disposal:reject', { batch: batch.id, reason: reason.trim() });
      await onDecided();
    });
  const writeCertificate = () =>
    run(async () => {
      const result = await platform.client.call('disposal:certificate', { batch: batch.id, out: out.trim() });
      setWritten(t('disposal.certificateWritten', { path: result.path, sha256: result.sha256 }));
    });

  return (
    <div className={`disposal-batch disposal-batch-${batch.id}`} data-status={batch.status}>
      <Descriptions
        size="small"
        column={2}
        title={
          <Space>
            <span>{t('disposal.batch', { batch: batch.id })}</span>
            <Tag color={STATUS_COLOURS[batch.status]}>{t(`disposal.status.${batch.status}`)}</Tag>
          </Space>
        }
      >
        <Descriptions.Item label={t('disposal.requestedBy')}>
          {batch.requestedBy} · {formatDateTime(batch.requestedAt)}
        </Descriptions.Item>
        <Descriptions.Item label={t('disposal.asOf')}>{batch.asOf}</Descriptions.Item>
        <Descriptions.Item label={t('disposal.reasonLabel')}>{batch.reason}</Descriptions.Item>
        {batch.decidedBy ? (
          <Descriptions.Item label={t('disposal.decidedBy')}>
            {batch.decidedBy} · {formatDateTime(batch.decidedAt!)} · {batch.decisionReason}
          </Descriptions.Item>
        ) : null}
        {batch.certificateSha256 ? (
          <Descriptions.Item label={t('disposal.certificateHash')}>
            <span className="mono">{batch.certificateSha256}</span>
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      <Table<DisposalItem>
        rowKey="archiveNo"
        size="small"
        pagination={false}
        dataSource={batch.items}
        columns={[
          { title: t('disposal.col.archiveNo'), dataIndex: 'archiveNo', render: (value: string) => <span className="mono">{value}</span> },
          { title: t('disposal.col.title'), dataIndex: 'title' },
          { title: t('disposal.col.period'), key: 'period', render: (_, item) => t('disposal.period', { years: item.years, start: item.startDate }) },
          { title: t('disposal.col.due'), dataIndex: 'dueDate' },
          {
            title: t('disposal.col.decision'),
            key: 'decision',
            render: (_, item) => (item.decision === 'extend' ? t('disposal.extendedTo', { date: item.extendUntil }) : t(`disposal.decision.${item.decision}`)),
          },
        ]}
      />
      {mayDecide ? (
        <Space wrap style={{ marginTop: 8 }}>
          <Input
            className="disposal-decision-reason"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            placeholder={t('disposal.decisionReason')}
            style={{ width: 320 }}
          />
          <Button type="primary" danger className="disposal-approve" disabled={reason.trim() === ''} loading={busy} onClick={() => void approve()}>
            {t('disposal.approve')}
          </Button>
          <Button className="disposal-reject" disabled={reason.trim() === '' || busy} onClick={() => void reject()}>
            {t('disposal.reject')}
          </Button>
        </Space>
      ) : null}
      {batch.status === 'requested' && !mayDecide && may('disposal:approve') ? (
        <Alert type="info" showIcon style={{ marginTop: 8 }} title={t('disposal.otherAdmin', { user: batch.requestedBy })} />
      ) : null}
      {approval ? (
        <Alert
          className="disposal-approved"
          type="success"
          showIcon
          role="status"
          style={{ marginTop: 8 }}
          title={t('disposal.approved', { disposed: approval.disposed.length, files: approval.filesRemoved })}
          description={
            approval.backupHolders.length > 0
              ? t('disposal.backupHolders', { sets: approval.backupHolders.map((holder) => `${holder.setId} (${holder.target})`).join(', ') })
              : t('disposal.noBackupHolders')
          }
        />
      ) : null}
      {batch.status === 'approved' && may('disposal:certificate') ? (
        <Space wrap style={{ marginTop: 8 }}>
          <Input
            className="disposal-certificate-out"
            value={out}
            onChange={(event) => setOut(event.target.value)}
            placeholder={`/…/disposal-${batch.id}.pdf`}
            style={{ width: 360 }}
          />
          <Button className="disposal-certificate" disabled={out.trim() === ''} loading={busy} onClick={() => void writeCertificate()}>
            {t('disposal.certificate')}
          </Button>
        </Space>
      ) : null}
      {written ? <Alert className="disposal-certificate-written" type="success" showIcon role="status" style={{ marginTop: 8 }} title={written} /> : null}
      {error ? <Alert type="error" showIcon role="alert" style={{ marginTop: 8 }} title={error} closable onClose={clearError} /> : null}
    </div>
  );
}
