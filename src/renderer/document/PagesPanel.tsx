/**
 * The document's pages: each rotate / move / remove is one contract call and one new version. Images come
 * from the platform (slipvault-page:// in Electron, token-guarded /blob/ in the preview); rotation is shown
 * with CSS, the stored bytes never change.
 */
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, RotateLeftOutlined, RotateRightOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail, PageSnapshot, Rotation } from '../../shared/model';
import { useApp } from '../context';
import { errorText } from '../format';

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

function turned(rotation: Rotation, by: 90 | -90): Rotation {
  return (((rotation + by) % 360) + 360) % 360 as Rotation;
}

export function PagesPanel({ detail, onChanged }: { detail: DocumentDetail; onChanged: (detail: DocumentDetail) => void }) {
  const { t } = useTranslation();
  const { platform } = useApp();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const readOnly = detail.status === 'voided';
  const mimeOf = (page: PageSnapshot) => detail.files.find((file) => file.blobHash === page.blobHash)?.mime ?? '';

  const run = async (work: () => Promise<DocumentDetail>) => {
    setBusy(true);
    try {
      const next = await work();
      onChanged(next);
      void message.success(t('pages.changed', { version: next.currentVersion }));
    } catch (reason) {
      void message.error(errorText(t, reason));
    } finally {
      setBusy(false);
    }
  };

  const rotate = (page: PageSnapshot, by: 90 | -90) =>
    run(() => platform.client.call('pages:rotate', { ref: detail.id, pageId: page.pageId, rotation: turned(page.rotation, by) }));
  const move = (index: number, delta: number) => {
    const ids = detail.pages.map((page) => page.pageId);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + delta, 0, moved!);
    return run(() => platform.client.call('pages:reorder', { ref: detail.id, pageIds: ids }));
  };
  const remove = (page: PageSnapshot) => run(() => platform.client.call('pages:remove', { ref: detail.id, pageId: page.pageId }));

  return (
    <div className="pages-grid">
      {detail.pages.map((page, index) => (
        <Card
          key={page.pageId}
          size="small"
          className="page-card"
          data-page-id={page.pageId}
          title={t('pages.page', { n: index + 1 })}
          extra={
            <Space size={2}>
              <Tooltip title={t('pages.rotateLeft')}>
                <Button type="text" icon={<RotateLeftOutlined />} disabled={busy || readOnly} onClick={() => void rotate(page, -90)} aria-label={t('pages.rotateLeft')} />
              </Tooltip>
              <Tooltip title={t('pages.rotateRight')}>
                <Button type="text" icon={<RotateRightOutlined />} disabled={busy || readOnly} onClick={() => void rotate(page, 90)} aria-label={t('pages.rotateRight')} />
              </Tooltip>
              <Tooltip title={t('pages.moveUp')}>
                <Button type="text" icon={<ArrowUpOutlined />} disabled={busy || readOnly || index === 0} onClick={() => void move(index, -1)} aria-label={t('pages.moveUp')} />
              </Tooltip>
              <Tooltip title={t('pages.moveDown')}>
                <Button
                  type="text"
                  icon={<ArrowDownOutlined />}
                  disabled={busy || readOnly || index === detail.pages.length - 1}
                  onClick={() => void move(index, 1)}
                  aria-label={t('pages.moveDown')}
                />
              </Tooltip>
              <Popconfirm placement="bottomRight" title={t('pages.removeConfirm')} onConfirm={() => remove(page)} disabled={busy || readOnly || detail.pages.length === 1}>
                <Tooltip title={t('pages.remove')}>
                  <Button type="text" danger icon={<DeleteOutlined />} disabled={busy || readOnly || detail.pages.length === 1} aria-label={t('pages.remove')} />
                </Tooltip>
              </Popconfirm>
            </Space>
          }
        >
          <div className="page-frame">
            {IMAGE_TYPES.has(mimeOf(page)) ? (
              <img
                src={platform.pageImageUrl(page.blobHash)}
                alt={t('pages.page', { n: index + 1 })}
                style={{ transform: `rotate(${page.rotation}deg)` }}
                loading="lazy"
                decoding="async"
              />
            ) : (
              <Typography.Text type="secondary">{t('pages.noPreview')}</Typography.Text>
            )}
          </div>
        </Card>
      ))}
    </div>
  );
}
