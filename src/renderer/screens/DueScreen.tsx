/**
 * What is due (issue 17, item 5): my chases due today, overdue slips by customer and by owner, slips back but
 * not filed, old inbox items, the OCR review backlog and the backup. Each row is one click to the work: the
 * filtered ledger list, the Inbox or the Backup screen.
 */
import { Alert, Button, Card, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OverdueGroup } from '../../shared/model';
import { useApp } from '../context';
import { errorText, formatDateTime } from '../format';
import { formatAmounts } from '../ledger/amounts';
import { openLedgerList } from '../ledger/ledger-nav';
import { UnexpectedSlips } from '../ledger/UnexpectedSlips';
import { useDueSummary } from '../ledger/use-due-summary';
import '../ledger/ledger.css';

function GroupTable({ groups, label, onOpen }: { groups: OverdueGroup[]; label: string; onOpen: (key: string) => void }) {
  const { t } = useTranslation();
  return (
    <Table<OverdueGroup>
      size="small"
      pagination={false}
      rowKey={(group) => group.key ?? ''}
      dataSource={groups}
      locale={{ emptyText: t('ledgerUi.due.nothingOverdue') }}
      columns={[
        {
          key: 'key',
          title: label,
          render: (_, group) =>
            group.key === null ? (
              <Typography.Text type="secondary">{t('ledgerUi.due.noOwner')}</Typography.Text>
            ) : (
              <a onClick={() => onOpen(group.key!)}>{group.key}</a>
            ),
        },
        { key: 'count', title: t('ledgerUi.due.count'), dataIndex: 'count', align: 'right', width: 80 },
        { key: 'amounts', title: t('ledgerUi.due.amount'), render: (_, group) => formatAmounts(group.amounts) },
      ]}
    />
  );
}

export function DueScreen({ navigate }: { navigate: (key: string) => void }) {
  const { t } = useTranslation();
  const { user } = useApp();
  const [inboxDays, setInboxDays] = useState(3);
  const [backupDays, setBackupDays] = useState(7);
  const { summary, error } = useDueSummary({ inboxOlderThanDays: inboxDays, backupOlderThanDays: backupDays });

  if (error) return <Alert type="error" showIcon title={errorText(t, error)} />;
  if (!summary) return null;
  const me = user?.username ?? summary.user;
  const backup = summary.backup;

  return (
    <div className="due-screen">
      <Typography.Title level={4}>{t('ledgerUi.due.title', { date: summary.asOf })}</Typography.Title>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Card size="small" className="due-mine" title={t('ledgerUi.due.mine', { count: summary.myDueToday.length })}>
          {summary.myDueToday.length === 0 ? (
            <Typography.Text type="secondary">{t('ledgerUi.due.nothingToday')}</Typography.Text>
          ) : (
            <ul className="due-list">
              {summary.myDueToday.map((row) => (
                <li key={row.id} className="due-mine-row">
                  <a onClick={() => openLedgerList(navigate, { text: row.slipNo })}>{row.slipNo}</a> · {row.customer} · {t('ledgerUi.fields.expectedBackDate')}{' '}
                  {row.expectedBackDate}
                </li>
              ))}
            </ul>
          )}
          <Button type="link" className="due-my-overdue" onClick={() => openLedgerList(navigate, { overdue: true, owner: me })}>
            {t('ledgerUi.due.myOverdue', { count: summary.myOverdue })}
          </Button>
        </Card>
        <Card size="small" className="due-by-customer" title={t('ledgerUi.due.byCustomer')}>
          <GroupTable
            groups={summary.overdueByCustomer}
            label={t('ledgerUi.fields.customer')}
            onOpen={(customer) => openLedgerList(navigate, { overdue: true, customer })}
          />
        </Card>
        <Card size="small" className="due-by-owner" title={t('ledgerUi.due.byOwner')}>
          <GroupTable
            groups={summary.overdueByOwner}
            label={t('ledgerUi.fields.owner')}
            onOpen={(owner) => openLedgerList(navigate, { overdue: true, owner })}
          />
        </Card>
        <Card size="small" className="due-work" title={t('ledgerUi.due.work')}>
          <ul className="due-list due-work-list">
            <li className="due-back-not-filed">
              <a className="due-back-not-filed-all" onClick={() => openLedgerList(navigate, { custody: ['back_at_branch', 'at_office'] })}>
                {t('ledgerUi.due.backNotFiled', { count: summary.backNotFiled })}
              </a>
              <Space>
                <a onClick={() => openLedgerList(navigate, { custody: 'back_at_branch' })}>{t('ledgerUi.custody.back_at_branch')}</a>
                <a onClick={() => openLedgerList(navigate, { custody: 'at_office' })}>{t('ledgerUi.custody.at_office')}</a>
              </Space>
            </li>
            <li className="due-unexpected">
              <UnexpectedSlips count={summary.unexpected} />
            </li>
            <li className="due-inbox">
              <a onClick={() => navigate('inbox')}>{t('ledgerUi.due.inbox', { count: summary.inbox.count })}</a>
              <Space>
                {t('ledgerUi.due.olderThanDays')}
                <InputNumber
                  min={0}
                  max={3650}
                  value={inboxDays}
                  onChange={(value) => value !== null && setInboxDays(value)}
                  aria-label={t('ledgerUi.due.olderThanDays')}
                />
              </Space>
            </li>
            <li className="due-authorizations">
              <a onClick={() => navigate('authorizations')}>
                {t('ledgerUi.due.authorizationsEnding', { count: summary.authorizationsEnding.count, days: summary.authorizationsEnding.withinDays })}
              </a>
            </li>
            <li className="due-review">
              <a onClick={() => navigate('inbox')}>{t('ledgerUi.due.review', { count: summary.ocrReviewBacklog })}</a>
            </li>
            <li className="due-backup">
              <a onClick={() => navigate('backup')}>
                {backup.neverVerified ? t('ledgerUi.due.backupNever') : t('ledgerUi.due.backupLast', { when: formatDateTime(backup.lastVerifiedAt ?? '') })}{' '}
                {backup.stale ? <Tag color="red">{t('ledgerUi.due.backupStale', { count: backup.olderThanDays })}</Tag> : null}
              </a>
              <Space>
                {t('ledgerUi.due.olderThanDays')}
                <InputNumber
                  min={0}
                  max={3650}
                  value={backupDays}
                  onChange={(value) => value !== null && setBackupDays(value)}
                  aria-label={t('ledgerUi.due.backupDays')}
                />
              </Space>
            </li>
          </ul>
        </Card>
      </Space>
    </div>
  );
}
