/**
 * The viewer's controls: paging, zoom, fit, the display-only turn, download and print. The page's stored
 * rotation is shown beside the view's own turn so the clerk can tell what is saved from what is only on
 * this screen.
 */
import {
  ColumnWidthOutlined,
  DownloadOutlined,
  ExpandOutlined,
  LeftOutlined,
  PrinterOutlined,
  RedoOutlined,
  RightOutlined,
  ZoomInOutlined,
  ZoomOutOutlined,
} from '@ant-design/icons';
import { Button, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { MAX_ZOOM, MIN_ZOOM, type FitMode } from './viewer-geometry';
import { VIEWER_KEYS, type ViewerAction } from './viewer-keys';

export function ViewerToolbar({
  index,
  total,
  scale,
  fit,
  storedRotation,
  viewTurn,
  onGoTo,
  onZoom,
  onFit,
  onTurnView,
  onDownload,
  onPrint,
}: {
  index: number;
  total: number;
  scale: number;
  fit: FitMode;
  storedRotation: number;
  viewTurn: number;
  onGoTo: (index: number) => void;
  onZoom: (direction: 1 | -1) => void;
  onFit: (fit: FitMode) => void;
  onTurnView: () => void;
  /** Absent where the page is shown only to be read (the Inbox): no download or print button. */
  onDownload?: () => void;
  onPrint?: () => void;
}) {
  const { t } = useTranslation();
  const tip = (label: string, action: ViewerAction) => `${label} (${VIEWER_KEYS[action][0]})`;
  return (
    <div className="viewer-toolbar">
      <Space size={2} wrap>
        <Tooltip title={tip(t('viewer.previous'), 'previous')}>
          <Button icon={<LeftOutlined />} disabled={index === 0} onClick={() => onGoTo(index - 1)} aria-label={t('viewer.previous')} />
        </Tooltip>
        <Typography.Text className="page-position">{t('viewer.position', { n: index + 1, total })}</Typography.Text>
        <Tooltip title={tip(t('viewer.next'), 'next')}>
          <Button icon={<RightOutlined />} disabled={index >= total - 1} onClick={() => onGoTo(index + 1)} aria-label={t('viewer.next')} />
        </Tooltip>
        <span className="toolbar-gap" />
        <Tooltip title={tip(t('viewer.zoomOut'), 'zoomOut')}>
          <Button icon={<ZoomOutOutlined />} disabled={scale <= MIN_ZOOM} onClick={() => onZoom(-1)} aria-label={t('viewer.zoomOut')} />
        </Tooltip>
        <Typography.Text className="zoom-level">{Math.round(scale * 100)}%</Typography.Text>
        <Tooltip title={tip(t('viewer.zoomIn'), 'zoomIn')}>
          <Button icon={<ZoomInOutlined />} disabled={scale >= MAX_ZOOM} onClick={() => onZoom(1)} aria-label={t('viewer.zoomIn')} />
        </Tooltip>
        <Tooltip title={tip(t('viewer.fitWidth'), 'fitWidth')}>
          <Button
            icon={<ColumnWidthOutlined />}
            type={fit === 'width' ? 'primary' : 'default'}
            onClick={() => onFit('width')}
            aria-label={t('viewer.fitWidth')}
          />
        </Tooltip>
        <Tooltip title={tip(t('viewer.fitPage'), 'fitPage')}>
          <Button icon={<ExpandOutlined />} type={fit === 'page' ? 'primary' : 'default'} onClick={() => onFit('page')} aria-label={t('viewer.fitPage')} />
        </Tooltip>
        <span className="toolbar-gap" />
        <Tooltip title={tip(t('viewer.turnView'), 'turnView')}>
          <Button icon={<RedoOutlined />} onClick={onTurnView} aria-label={t('viewer.turnView')} />
        </Tooltip>
        {viewTurn !== 0 ? (
          <Tag color="blue" className="view-turn-tag">
            {t('viewer.viewTurned', { degrees: viewTurn })}
          </Tag>
        ) : null}
        {storedRotation !== 0 ? <Tag className="stored-rotation-tag">{t('viewer.storedRotation', { degrees: storedRotation })}</Tag> : null}
        {onDownload || onPrint ? <span className="toolbar-gap" /> : null}
        {onDownload ? (
          <Tooltip title={t('viewer.downloadHint')}>
            <Button icon={<DownloadOutlined />} onClick={onDownload} aria-label={t('viewer.download')} className="download-page-button" />
          </Tooltip>
        ) : null}
        {onPrint ? (
          <Tooltip title={t('viewer.printHint')}>
            <Button icon={<PrinterOutlined />} onClick={onPrint} aria-label={t('viewer.print')} className="print-page-button" />
          </Tooltip>
        ) : null}
      </Space>
      <Typography.Text type="secondary" className="viewer-keys">
        {t('viewer.keys')}
      </Typography.Text>
    </div>
  );
}
