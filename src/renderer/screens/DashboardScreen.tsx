/**
 * The home screen (issue 17, item 7): tiles for what the back office asks every week — outstanding slips by
 * aging bucket, the customers owing the most overdue slips, documents filed per week, the inbox and OCR review
 * backlogs and the age of the last verified backup. Every tile (and every bar) opens the list or screen behind
 * its number.
 */
import { Alert, Card, Col, Row, Statistic, Typography } from 'antd';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AGING_BUCKETS, type AgingBucket } from '../../shared/model';
import { errorText } from '../format';
import { formatAmounts, leadingAmount } from '../ledger/amounts';
import { BarChart } from '../ledger/BarChart';
import { openLedgerList } from '../ledger/ledger-nav';
import { daysSince, useDueSummary } from '../ledger/use-due-summary';
import { useFiledPerWeek } from '../ledger/use-filed-per-week';
import { openArchiveList } from './archive-nav';
import '../ledger/ledger.css';

const INBOX_DAYS = 3;
const BACKUP_DAYS = 7;
const TOP_CUSTOMERS = 10;
const FILED_WEEKS = 12;
const BUCKET_COLOURS: Record<AgingBucket, string> = {
  not_due: '#8c8c8c',
  '0-15': '#faad14',
  '16-30': '#fa8c16',
  '31-60': '#fa541c',
  '61-90': '#f5222d',
  '90+': '#a8071a',
};

const BUCKET_BAR_COLOURS = AGING_BUCKETS.map((bucket) => BUCKET_COLOURS[bucket]);

function Tile({ id, title, onOpen, children }: { id: string; title: string; onOpen: () => void; children: ReactNode }) {
  return (
    <Card
      size="small"
      title={title}
      className="dashboard-tile"
      data-tile={id}
      hoverable
      onClick={onOpen}
      onKeyDown={(event) => event.key === 'Enter' && onOpen()}
      tabIndex={0}
      role="button"
    >
      {children}
    </Card>
  );
}

export function DashboardScreen({ navigate }: { navigate: (key: string) => void }) {
  const { t } = useTranslation();
  const { summary, error } = useDueSummary({ inboxOlderThanDays: INBOX_DAYS, backupOlderThanDays: BACKUP_DAYS });
  const { filed, error: filedError } = useFiledPerWeek(FILED_WEEKS);
  // ISO week numbers as the axis (W15); the tooltip and the legend name the week's Monday.
  const filedLabels = useMemo(() => (filed ?? []).map((week) => week.week.slice(5)), [filed]);
  const filedValues = useMemo(() => (filed ?? []).map((week) => week.count), [filed]);

  const buckets = useMemo(() => AGING_BUCKETS.map((bucket) => summary?.buckets.find((line) => line.bucket === bucket)?.count ?? 0), [summary]);
  const bucketLabels = useMemo(() => AGING_BUCKETS.map((bucket) => t(`ledgerUi.buckets.${bucket}`)), [t]);
  const bucketAxis = useMemo(() => AGING_BUCKETS.map((bucket) => t(`ledgerUi.bucketsShort.${bucket}`)), [t]);
  const topCustomers = useMemo(
    () => [...(summary?.overdueByCustomer ?? [])].sort((a, b) => leadingAmount(b.amounts) - leadingAmount(a.amounts)).slice(0, TOP_CUSTOMERS),
    [summary],
  );
  const topLabels = useMemo(() => topCustomers.map((group) => group.key ?? ''), [topCustomers]);
  const topValues = useMemo(() => topCustomers.map((group) => leadingAmount(group.amounts)), [topCustomers]);

  if (error ?? filedError) return <Alert type="error" showIcon title={errorText(t, error ?? filedError)} />;
  if (!summary) return null;

  const outstanding = buckets.reduce((sum, count) => sum + count, 0);
  const filedTotal = filedValues.reduce((sum, count) => sum + count, 0);
  const filedThisWeek = filedValues.at(-1) ?? 0;
  const backupDays = summary.backup.lastVerifiedAt ? daysSince(summary.backup.lastVerifiedAt, summary.asOf) : null;

  return (
    <div className="dashboard">
      <Typography.Title level={4}>{t('ledgerUi.dashboard.title', { date: summary.asOf })}</Typography.Title>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Tile id="aging" title={t('ledgerUi.dashboard.aging', { count: outstanding })} onOpen={() => openLedgerList(navigate, { overdue: true })}>
            <div onClick={(event) => event.stopPropagation()}>
              <BarChart
                labels={bucketAxis}
                values={buckets}
                colours={BUCKET_BAR_COLOURS}
                ariaLabel={t('ledgerUi.dashboard.aging', { count: outstanding })}
                onBarClick={(index) => openLedgerList(navigate, { bucket: AGING_BUCKETS[index]! })}
              />
            </div>
            <ul className="tile-legend">
              {AGING_BUCKETS.map((bucket, index) => (
                <li key={bucket} data-bucket={bucket}>
                  <a
                    style={{ color: BUCKET_COLOURS[bucket] }}
                    onClick={(event) => {
                      event.stopPropagation();
                      openLedgerList(navigate, { bucket });
                    }}
                  >
                    {bucketLabels[index]}: <span className="tile-count">{buckets[index]}</span>
                  </a>
                </li>
              ))}
            </ul>
          </Tile>
        </Col>
        <Col xs={24} lg={12}>
          <Tile id="top-customers" title={t('ledgerUi.dashboard.topCustomers')} onOpen={() => openLedgerList(navigate, { overdue: true })}>
            {topCustomers.length === 0 ? (
              <Typography.Text type="secondary">{t('ledgerUi.dashboard.noOverdue')}</Typography.Text>
            ) : (
              <>
                <div onClick={(event) => event.stopPropagation()}>
                  <BarChart
                    horizontal
                    colour="#f5222d"
                    labels={topLabels}
                    values={topValues}
                    ariaLabel={t('ledgerUi.dashboard.topCustomers')}
                    onBarClick={(index) => openLedgerList(navigate, { overdue: true, customer: topLabels[index]! })}
                  />
                </div>
                <ol className="tile-legend">
                  {topCustomers.map((group) => (
                    <li key={group.key ?? ''} data-customer={group.key ?? ''}>
                      <a
                        onClick={(event) => {
                          event.stopPropagation();
                          openLedgerList(navigate, { overdue: true, customer: group.key ?? '' });
                        }}
                      >
                        {group.key} · {t('ledgerUi.slips', { count: group.count })} · {formatAmounts(group.amounts)}
                      </a>
                    </li>
                  ))}
                </ol>
              </>
            )}
          </Tile>
        </Col>
        <Col xs={24}>
          <Tile
            id="filed-per-week"
            title={t('ledgerUi.dashboard.filedPerWeek', { count: filedTotal, weeks: FILED_WEEKS })}
            onOpen={() => openArchiveList(navigate, 'filed')}
          >
            <div onClick={(event) => event.stopPropagation()}>
              <BarChart
                labels={filedLabels}
                values={filedValues}
                colour="#389e0d"
                height={140}
                ariaLabel={t('ledgerUi.dashboard.filedPerWeek', { count: filedTotal, weeks: FILED_WEEKS })}
                onBarClick={() => openArchiveList(navigate, 'filed')}
              />
            </div>
            <Typography.Text type="secondary" className="tile-filed-week">
              {t('ledgerUi.dashboard.filedThisWeek', { count: filedThisWeek, start: filed?.at(-1)?.start ?? '' })}
            </Typography.Text>
          </Tile>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Tile id="inbox" title={t('ledgerUi.dashboard.inbox')} onOpen={() => navigate('inbox')}>
            <Statistic value={summary.inbox.count} suffix={t('ledgerUi.dashboard.olderThan', { count: summary.inbox.olderThanDays })} />
          </Tile>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Tile id="review" title={t('ledgerUi.dashboard.review')} onOpen={() => navigate('inbox')}>
            <Statistic value={summary.ocrReviewBacklog} suffix={t('ledgerUi.dashboard.pages')} />
          </Tile>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Tile id="backup" title={t('ledgerUi.dashboard.backup')} onOpen={() => navigate('backup')}>
            {backupDays === null ? (
              <Statistic value={t('ledgerUi.dashboard.neverVerified')} styles={{ content: { color: '#cf1322' } }} />
            ) : (
              <Statistic
                value={backupDays}
                suffix={t('ledgerUi.dashboard.daysAgo')}
                styles={summary.backup.stale ? { content: { color: '#cf1322' } } : undefined}
              />
            )}
          </Tile>
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <Tile id="authorizations" title={t('ledgerUi.dashboard.authorizations')} onOpen={() => navigate('authorizations')}>
            <Statistic
              value={summary.authorizationsEnding.count}
              suffix={t('ledgerUi.dashboard.authorizationsWithin', { days: summary.authorizationsEnding.withinDays })}
              styles={summary.authorizationsEnding.count > 0 ? { content: { color: '#d46b08' } } : undefined}
            />
          </Tile>
        </Col>
      </Row>
    </div>
  );
}
