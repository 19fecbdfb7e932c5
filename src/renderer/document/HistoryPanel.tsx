/**
 * History: the version timeline (who, when, why), a diff of any two versions (fields, pages, text) and
 * restore with confirmation. Restoring writes a new version; nothing is removed.
 */
import { App, Button, Col, Empty, Row, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail, FieldChange, PageChange, VersionDiff, VersionSummary } from '../../shared/model';
import { useApp } from '../context';
import { actionKey, errorText, formatDateTime } from '../format';
import { actorName } from '../i18n/core-messages';
import { fieldValueText, textDiffLine } from './diff-labels';
import { useTypeLabel } from './type-labels';

export function HistoryPanel({ detail, onRestored }: { detail: DocumentDetail; onRestored: (detail: DocumentDetail) => void }) {
  const { t } = useTranslation();
  const typeLabel = useTypeLabel();
  const { platform, may } = useApp();
  const { message, modal } = App.useApp();
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [diff, setDiff] = useState<VersionDiff | null>(null);

  useEffect(() => {
    let cancelled = false;
    platform.client.call('documents:history', { ref: detail.id }).then(
      (list) => {
        if (cancelled) return;
        setVersions(list);
        const latest = list[list.length - 1]?.number ?? 1;
        setTo(latest);
        setFrom(Math.max(1, latest - 1));
      },
      (reason: unknown) => void message.error(errorText(t, reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [detail.id, detail.currentVersion, platform, message, t]);

  useEffect(() => {
    if (from === null || to === null || from === to) {
      setDiff(null);
      return;
    }
    let cancelled = false;
    platform.client.call('documents:diff', { ref: detail.id, from, to }).then(
      (value) => !cancelled && setDiff(value),
      (reason: unknown) => void message.error(errorText(t, reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [detail.id, from, to, platform, message, t]);

  // The dialog's own result is not needed: onOk does the work and reports success or failure.
  const restore = (version: number) => {
    modal.confirm({
      title: t('history.restoreTitle', { version }),
      content: t('history.restoreBody', { version }),
      okText: t('history.restore'),
      onOk: async () => {
        try {
          const restored = await platform.client.call('documents:restoreVersion', { ref: detail.id, version });
          onRestored(restored);
          void message.success(t('history.restored', { version: restored.currentVersion }));
        } catch (reason) {
          void message.error(errorText(t, reason));
        }
      },
    });
  };

  const pageChange = (change: PageChange): string => {
    switch (change.kind) {
      case 'added':
        return t('history.pageAdded', { pageId: change.pageId, position: change.position + 1 });
      case 'removed':
        return t('history.pageRemoved', { pageId: change.pageId, position: change.position + 1 });
      case 'moved':
        return t('history.pageMoved', { pageId: change.pageId, from: change.from + 1, to: change.to + 1 });
      case 'rotated':
        return t('history.pageRotated', { pageId: change.pageId, from: change.from, to: change.to });
      case 'text':
        return t('history.pageText', { pageId: change.pageId });
    }
  };

  const versionOptions = versions.map((version) => ({ value: version.number, label: t('history.versionLabel', { version: version.number }) }));
  const empty = diff && diff.fields.length === 0 && diff.pages.length === 0 && diff.text.every((line) => line.op === 'equal');

  return (
    <Row gutter={16} className="history-panel">
      <Col span={9}>
        <Timeline
          items={[...versions].reverse().map((version) => ({
            key: version.number,
            color: version.number === detail.currentVersion ? 'green' : 'gray',
            content: (
              <div className="version-item" data-version={version.number}>
                <Space>
                  <Typography.Text strong>{t('history.versionLabel', { version: version.number })}</Typography.Text>
                  <span>{t(actionKey(version.action), { defaultValue: version.action })}</span>
                  {version.number === detail.currentVersion ? <Tag color="green">{t('history.current')}</Tag> : null}
                </Space>
                <div>
                  <Typography.Text type="secondary">
                    {t('history.by', { actor: actorName(t, version.actor), at: formatDateTime(version.createdAt) })}
                  </Typography.Text>
                </div>
                {version.reason ? <div>{t('history.reason', { reason: version.reason })}</div> : null}
                {version.number !== detail.currentVersion && detail.status !== 'voided' && may('documents:restoreVersion') ? (
                  <Button size="small" type="link" onClick={() => restore(version.number)} className="restore-button">
                    {t('history.restore')}
                  </Button>
                ) : null}
              </div>
            ),
          }))}
        />
      </Col>
      <Col span={15}>
        <Space className="diff-pickers">
          <span>{t('history.compare')}</span>
          <Select aria-label={t('history.from')} value={from} onChange={setFrom} options={versionOptions} style={{ width: 110 }} />
          <span>→</span>
          <Select aria-label={t('history.to')} value={to} onChange={setTo} options={versionOptions} style={{ width: 110 }} />
        </Space>
        {diff ? (
          <div className="diff" data-from={diff.from} data-to={diff.to}>
            {empty ? <Empty description={t('history.noDifference')} /> : null}
            {diff.fields.length > 0 ? (
              <Table<FieldChange>
                size="small"
                pagination={false}
                rowKey="field"
                title={() => t('history.fieldsChanged')}
                dataSource={diff.fields}
                columns={[
                  { title: t('history.field'), dataIndex: 'field', width: 110, render: (field: string) => t(`doc.fields.${field}`) },
                  {
                    title: t('history.before'),
                    dataIndex: 'from',
                    render: (value: FieldChange['from'], change) => <del className="diff-removed">{fieldValueText(t, typeLabel, change.field, value)}</del>,
                  },
                  {
                    title: t('history.after'),
                    dataIndex: 'to',
                    render: (value: FieldChange['to'], change) => <ins className="diff-added">{fieldValueText(t, typeLabel, change.field, value)}</ins>,
                  },
                ]}
              />
            ) : null}
            {diff.pages.length > 0 ? (
              <div className="diff-section">
                <Typography.Text strong>{t('history.pagesChanged')}</Typography.Text>
                <ul>
                  {diff.pages.map((change, index) => (
                    <li key={index}>{pageChange(change)}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            {diff.text.some((line) => line.op !== 'equal') ? (
              <div className="diff-section">
                <Typography.Text strong>{t('history.textChanged')}</Typography.Text>
                <pre className="text-diff">
                  {diff.text.map((line, index) => (
                    <div key={index} className={`line-${line.op}`}>
                      {line.op === 'added' ? '+ ' : line.op === 'removed' ? '- ' : '  '}
                      {textDiffLine(t, line.line)}
                    </div>
                  ))}
                </pre>
              </div>
            ) : null}
          </div>
        ) : null}
      </Col>
    </Row>
  );
}
