/**
 * One document in a drawer: metadata form, pages, version history and its access and change history (the
 * audit trail). Every change is a contract call that makes a new version; the drawer then shows what the
 * core answered (never an optimistic copy). Opening the drawer on a document is recorded once, however
 * often it is re-fetched while open.
 */
import { Alert, Descriptions, Drawer, Space, Tabs, Tag, Typography } from 'antd';
import { memo, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail } from '../../shared/model';
import { useApp } from '../context';
import { errorText, fileFormatName, formatDateTime } from '../format';
import { formatBytes } from '../backup/units';
import { useDocumentChanges } from '../document-changes';
import { STATUS_COLOURS } from './status-colours';
import { useHotkeys } from '../hotkeys';
import { AccessHistoryPanel } from './AccessHistoryPanel';
import { DocumentActions } from './DocumentActions';
import { ProofExportButton } from './ProofExportButton';
import { PaperLocationControl } from '../records/locations/PaperLocationControl';
import { RetentionPanel } from '../retention/RetentionPanel';
import { HistoryPanel } from './HistoryPanel';
import { MetadataForm } from './MetadataForm';
import { PagesPanel, type SearchContext } from './PagesPanel';
import { useRecordView } from './record-view';

/**
 * `search`: when opened from a search result, its matched pages and words; the drawer then opens on the
 * Pages tab at the first hit, with the matched words marked on the page and in its text.
 *
 * Memoised: the screens that hold it draw again while their user types; a closed drawer need not.
 */
export const DocumentDrawer = memo(function DocumentDrawer({
  documentId,
  onClose,
  search,
}: {
  documentId: number | null;
  onClose: () => void;
  search?: SearchContext | undefined;
}) {
  const { t } = useTranslation();
  const { platform, revision, may } = useApp();
  const [detail, setDetail] = useState<DocumentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const openingTab = search && search.pages.length > 0 ? 'pages' : 'details';
  const [tab, setTab] = useState(openingTab);
  useRecordView(documentId === null ? null : { ref: documentId, action: 'open' });

  const load = useCallback(async () => {
    if (documentId === null) return;
    try {
      setDetail(await platform.client.call('documents:get', { ref: documentId }));
      setError(null);
    } catch (reason) {
      setError(errorText(t, reason));
    }
  }, [documentId, platform, t]);

  useEffect(() => {
    if (documentId === null) {
      setDetail(null);
      return;
    }
    void load();
  }, [documentId, load, revision]);
  useDocumentChanges(platform.client, (ids) => {
    if (documentId !== null && ids.has(documentId)) void load();
  });

  useEffect(() => setTab(openingTab), [documentId, openingTab]);

  // antd closes on Esc only while focus is inside the drawer; after a confirmation dialog it is not.
  useHotkeys(
    [
      {
        combo: 'escape',
        // Esc inside a confirmation dialog closes that dialog only.
        run: (event) => !(event.target instanceof Element && event.target.closest('.ant-modal-wrap')) && onClose(),
      },
    ],
    documentId !== null,
  );

  const shown = detail && detail.id === documentId ? detail : null;

  return (
    <Drawer
      open={documentId !== null}
      onClose={onClose}
      size={1180}
      destroyOnHidden
      rootClassName="document-drawer"
      title={
        shown ? (
          <Space>
            <span className="mono">{shown.archiveNo}</span>
            <span>{shown.title}</span>
            <Tag color={STATUS_COLOURS[shown.status]}>{t(`status.${shown.status}`)}</Tag>
            <Typography.Text type="secondary">{t('doc.version', { version: shown.currentVersion })}</Typography.Text>
            <PaperLocationControl detail={shown} onChanged={setDetail} />
            <ProofExportButton archiveNo={shown.archiveNo} />
            <DocumentActions detail={shown} onChanged={setDetail} />
          </Space>
        ) : (
          ' '
        )
      }
    >
      {error ? <Alert type="error" showIcon title={error} /> : null}
      {shown?.voidReason ? <Alert type="warning" showIcon title={t('doc.voided', { reason: shown.voidReason })} /> : null}
      {shown ? (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'details',
              label: t('doc.tabs.details'),
              children: (
                <>
                  <MetadataForm detail={shown} onSaved={setDetail} />
                  <Descriptions size="small" column={1} title={t('doc.files')} className="source-files">
                    {shown.files.map((file) => (
                      <Descriptions.Item key={file.blobHash} label={file.filename}>
                        {fileFormatName(file.mime)} · {formatBytes(file.size)} · {formatDateTime(file.importedAt)}
                      </Descriptions.Item>
                    ))}
                  </Descriptions>
                </>
              ),
            },
            {
              key: 'pages',
              label: t('doc.tabs.pages', { count: shown.pages.length }),
              children: <PagesPanel key={shown.id} detail={shown} onChanged={setDetail} search={search} active={tab === 'pages'} />,
            },
            {
              key: 'history',
              label: t('doc.tabs.history'),
              children: <HistoryPanel detail={shown} onRestored={setDetail} />,
            },
            {
              key: 'retention',
              label: t('doc.tabs.retention'),
              children: tab === 'retention' ? <RetentionPanel archiveNo={shown.archiveNo} /> : null,
            },
            // The trail is for auditors and administrators; the core refuses it to the others anyway.
            ...(may('audit:query')
              ? [
                  {
                    key: 'access',
                    label: t('doc.tabs.access'),
                    children: tab === 'access' ? <AccessHistoryPanel detail={shown} /> : null,
                  },
                ]
              : []),
          ]}
        />
      ) : null}
    </Drawer>
  );
});
