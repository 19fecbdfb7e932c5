/**
 * One document read from the offline copies: its details, its versions and its page images as the server
 * last sent them, each marked as a copy from its time. Read-only by construction: no control here calls
 * anything but the document screen's reads, which the host answers from the copies.
 */
import { Alert, Descriptions, Drawer, Empty, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail, VersionSummary } from '../../shared/model';
import type { OfflineDocument as OfflineEntry } from '../../shared/server-connection';
import { STATUS_COLOURS } from '../document/status-colours';
import { actionKey, errorText, formatDateTime } from '../format';
import type { Platform } from '../platform/platform';

const DETAIL_FIELDS = ['customer', 'type', 'signedDate', 'slipNo', 'amount', 'currency', 'signer'] as const;

export function OfflineDocument({ platform, entry, onClose }: { platform: Platform; entry: OfflineEntry | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [detail, setDetail] = useState<DocumentDetail | null>(null);
  const [history, setHistory] = useState<VersionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setDetail(null);
    setHistory(null);
    setError(null);
    if (!entry) return;
    platform.client.call('documents:get', { ref: entry.id }).then(setDetail, (reason: unknown) => setError(errorText(t, reason)));
    // A document whose versions were not opened online has none kept: the list is then left out.
    platform.client.call('documents:history', { ref: entry.id }).then(setHistory, () => setHistory([]));
  }, [entry, platform, t]);

  return (
    <Drawer
      open={entry !== null}
      onClose={onClose}
      size={900}
      destroyOnHidden
      rootClassName="offline-document"
      title={
        entry ? (
          <Space>
            <span className="mono">{entry.archiveNo}</span>
            <span>{entry.title}</span>
            {detail ? <Tag color={STATUS_COLOURS[detail.status]}>{t(`status.${detail.status}`)}</Tag> : null}
          </Space>
        ) : (
          ' '
        )
      }
    >
      {entry ? <Alert className="offline-copy-from" type="warning" showIcon title={t('offline.copyFrom', { time: formatDateTime(entry.copiedAt) })} /> : null}
      {error ? <Alert type="error" showIcon title={error} /> : null}
      {detail ? (
        <>
          <Descriptions size="small" column={2} title={t('doc.tabs.details')} className="offline-details">
            <Descriptions.Item label={t('doc.fields.title')}>{detail.title}</Descriptions.Item>
            {DETAIL_FIELDS.map((field) => (
              <Descriptions.Item key={field} label={t(`doc.fields.${field}`)}>
                {detail[field] ?? '—'}
              </Descriptions.Item>
            ))}
            <Descriptions.Item label={t('doc.version', { version: detail.currentVersion })}>{formatDateTime(detail.updatedAt)}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>{t('doc.tabs.history')}</Typography.Title>
          {history && history.length > 0 ? (
            <ol className="offline-versions">
              {history.map((version) => (
                <li key={version.number}>
                  <Space>
                    <Tag>{t('history.versionLabel', { version: version.number })}</Tag>
                    <span>{t(actionKey(version.action), { defaultValue: version.action })}</span>
                    <Typography.Text type="secondary">{t('history.by', { actor: version.actor, at: formatDateTime(version.createdAt) })}</Typography.Text>
                  </Space>
                </li>
              ))}
            </ol>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('offline.noVersions')} />
          )}
          <Typography.Title level={5}>{t('doc.tabs.pages', { count: detail.pages.length })}</Typography.Title>
          <Space wrap align="start" className="offline-pages">
            {detail.pages.map((page, index) => (
              <OfflinePage key={`${page.blobHash}-${index}`} platform={platform} images={[page.blobHash, page.thumbnailHash]} number={index + 1} />
            ))}
          </Space>
        </>
      ) : null}
    </Drawer>
  );
}

/** A page's image if it is kept, else its thumbnail if that is, else a sentence saying it is not kept. */
function OfflinePage({ platform, images, number }: { platform: Platform; images: (string | null)[]; number: number }) {
  const { t } = useTranslation();
  const kept = images.filter((hash): hash is string => hash !== null);
  const [tried, setTried] = useState(0);
  const label = t('offline.pageAlt', { page: number });
  return (
    <figure className="offline-page">
      {tried < kept.length ? (
        <img src={platform.pageImageUrl(kept[tried]!)} alt={label} style={{ maxWidth: 400 }} onError={() => setTried((count) => count + 1)} />
      ) : (
        <Typography.Text type="secondary">{t('offline.pageNotKept')}</Typography.Text>
      )}
      <figcaption>{label}</figcaption>
    </figure>
  );
}
