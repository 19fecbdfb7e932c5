/**
 * Import into the inbox: files dropped anywhere on the window (App hands them over) or chosen with the
 * button are imported at once. In the preview the browser cannot give file paths, so each file is first
 * uploaded to the preview host (token + Origin checked) and the returned temp path imported; in Electron
 * the preload's pathForFile gives each file's own disk path. Where neither exists the panel says so.
 */
import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Progress, Space, Typography, Upload } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportResult } from '../../shared/model';
import { useApp } from '../context';
import { errorText } from '../format';

const ACCEPT = '.jpg,.jpeg,.png,.tif,.tiff,.webp,.heic,.pdf';

interface Outcome {
  imported: number;
  /** Kept on this computer while the window's server cannot be reached (issue 20 item 4); also listed in `failures` with the sentence. */
  queued: number;
  failures: { file: string; reason: string }[];
}

/** Files already taken: React's strict mode runs effects twice, a dropped file must not import twice. */
const taken = new WeakSet<File>();

export function ImportPanel({ dropped, takeDropped }: { dropped: File[]; takeDropped: () => File[] }) {
  const { t } = useTranslation();
  const { platform } = useApp();
  const [uploaded, setUploaded] = useState<{ done: number; total: number } | null>(null);
  const [importing, setImporting] = useState(0);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const upload = platform.uploadFile;

  const importFiles = useCallback(
    (files: File[]) => {
      if (!upload || files.length === 0) return;
      // One batch at a time, in the order they arrived.
      queue.current = queue.current.then(async () => {
        const failures: Outcome['failures'] = [];
        const paths: string[] = [];
        const names = new Map<string, string>();
        setUploaded({ done: 0, total: files.length });
        for (const [index, file] of files.entries()) {
          try {
            const path = await upload(file);
            paths.push(path);
            names.set(path, file.name);
          } catch (reason) {
            failures.push({ file: file.name, reason: errorText(t, reason) });
          }
          setUploaded({ done: index + 1, total: files.length });
        }
        setUploaded(null);
        setImporting(paths.length);
        try {
          const result: ImportResult = paths.length > 0 ? await platform.client.call('documents:import', { paths }) : { imported: [], failed: [] };
          for (const item of result.failed) failures.push({ file: names.get(item.file) ?? item.file, reason: errorText(t, item) });
          const queued = result.failed.filter((item) => item.details?.['reason'] === 'queued-offline').length;
          setOutcome({ imported: result.imported.length, queued, failures });
        } catch (reason) {
          setOutcome({ imported: 0, queued: 0, failures: [...failures, ...files.map((file) => ({ file: file.name, reason: errorText(t, reason) }))] });
        } finally {
          setImporting(0);
        }
      });
    },
    [platform, t, upload],
  );

  useEffect(() => {
    if (dropped.length === 0) return;
    const files = takeDropped().filter((file) => !taken.has(file));
    files.forEach((file) => taken.add(file));
    importFiles(files);
  }, [dropped, takeDropped, importFiles]);

  return (
    <div className="inbox-import">
      {!upload ? <Alert type="info" showIcon title={t('inbox.import.unavailable')} /> : null}
      <Space wrap>
        <Upload
          className="import-drop"
          multiple
          accept={ACCEPT}
          disabled={!upload}
          showUploadList={false}
          beforeUpload={(file, list) => {
            // antd calls this once per file with the whole list: import the list once, on its last file.
            if (file === list[list.length - 1]) importFiles(list);
            return false;
          }}
        >
          <Button type="primary" icon={<UploadOutlined />} disabled={!upload}>
            {t('inbox.import.choose')}
          </Button>
        </Upload>
        <Typography.Text type="secondary">{t('inbox.import.hint')}</Typography.Text>
      </Space>
      {uploaded ? (
        <Space className="import-progress">
          <span>{t('inbox.import.uploading', { done: uploaded.done, total: uploaded.total })}</span>
          <Progress percent={Math.floor((uploaded.done / Math.max(1, uploaded.total)) * 100)} size="small" style={{ width: 160 }} />
        </Space>
      ) : null}
      {importing > 0 ? <div className="import-progress">{t('inbox.import.importing', { count: importing })}</div> : null}
      {outcome ? (
        <Alert
          className="import-outcome"
          type={outcome.failures.length === 0 ? 'success' : outcome.failures.length === outcome.queued ? 'info' : 'warning'}
          showIcon
          closable
          onClose={() => setOutcome(null)}
          title={
            outcome.queued > 0
              ? t('inbox.import.summaryQueued', { imported: outcome.imported, queued: outcome.queued, failed: outcome.failures.length - outcome.queued })
              : t('inbox.import.summary', { imported: outcome.imported, failed: outcome.failures.length })
          }
          description={
            outcome.failures.length > 0 ? (
              <ul className="import-failures">
                {outcome.failures.map((failure, index) => (
                  <li key={index}>
                    <b>{failure.file}</b>: {failure.reason}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      ) : null}
    </div>
  );
}
