/**
 * Import: drop files (or choose them), then one documents:import call. In the preview the browser cannot
 * give file paths, so each file is first uploaded to the preview host (token + Origin checked) and the
 * returned temp paths are imported; in Electron the preload's pathForFile gives each file's own disk path.
 * Where neither exists the screen says so instead of pretending.
 */
import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Progress, Space, Table, Tag, Tooltip, Typography, Upload, type UploadFile } from 'antd';
import type { RcFile } from 'antd/es/upload';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportResult } from '../../shared/model';
import { useApp } from '../context';
import { errorText } from '../format';
import { useHotkeys } from '../hotkeys';

interface ResultRow {
  key: string;
  file: string;
  ok: boolean;
  text: string;
}

const ACCEPT = '.jpg,.jpeg,.png,.tif,.tiff,.webp,.pdf';

let dropCounter = 0;
/** Files already listed: React's strict mode runs effects twice, a file must not be listed twice. */
const listed = new WeakSet<File>();
/** A file dropped on the window, as an entry of the Upload list. */
function toUploadFile(file: File): UploadFile {
  dropCounter += 1;
  const uid = `drop-${dropCounter}`;
  return { uid, name: file.name, size: file.size, type: file.type, originFileObj: Object.assign(file, { uid }) as RcFile };
}

export function ImportScreen({ onDone, dropped, takeDropped }: { onDone: () => void; dropped: File[]; takeDropped: () => File[] }) {
  const { t } = useTranslation();
  const { platform, refresh } = useApp();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [importing, setImporting] = useState(false);
  const [results, setResults] = useState<ResultRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = platform.uploadFile;
  const busy = uploaded !== null || importing;

  useEffect(() => {
    if (dropped.length === 0) return;
    const files = takeDropped().filter((file) => !listed.has(file));
    files.forEach((file) => listed.add(file));
    if (files.length > 0) setFiles((previous) => [...previous, ...files.map(toUploadFile)]);
  }, [dropped, takeDropped]);

  const start = async () => {
    if (!upload || busy || files.length === 0) return;
    setError(null);
    setResults(null);
    const paths: string[] = [];
    const names = new Map<string, string>();
    const rows: ResultRow[] = [];
    try {
      setUploaded(0);
      for (const [index, entry] of files.entries()) {
        const file = entry.originFileObj;
        if (!file) continue;
        try {
          const path = await upload(file);
          paths.push(path);
          names.set(path, file.name);
        } catch (reason) {
          rows.push({ key: `u${index}`, file: file.name, ok: false, text: errorText(t, reason) });
        }
        setUploaded(index + 1);
      }
      setUploaded(null);
      setImporting(true);
      const result: ImportResult = paths.length > 0 ? await platform.client.call('documents:import', { paths }) : { imported: [], failed: [] };
      for (const item of result.imported) {
        rows.push({ key: `i${item.document.id}`, file: names.get(item.file) ?? item.file, ok: true, text: item.document.archiveNo });
      }
      for (const [index, item] of result.failed.entries()) {
        rows.push({ key: `f${index}`, file: names.get(item.file) ?? item.file, ok: false, text: errorText(t, item) });
      }
      setResults(rows);
      setFiles([]);
      refresh();
    } catch (reason) {
      setError(errorText(t, reason));
    } finally {
      setUploaded(null);
      setImporting(false);
    }
  };

  useHotkeys([{ combo: 'ctrl+enter', run: () => void start() }]);

  const imported = results?.filter((row) => row.ok).length ?? 0;

  return (
    <div className="screen import-screen">
      <Typography.Title level={5}>{t('import.title')}</Typography.Title>
      {!upload ? <Alert type="info" showIcon title={t('import.unavailable')} /> : null}
      <Upload.Dragger
        multiple
        accept={ACCEPT}
        disabled={!upload || busy}
        fileList={files}
        beforeUpload={() => false}
        onChange={({ fileList }) => setFiles(fileList)}
        className="import-drop"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('import.drop')}</p>
        <p className="ant-upload-hint">{t('import.hint')}</p>
      </Upload.Dragger>
      <Space className="import-actions">
        <Tooltip title={t('import.shortcut')}>
          <Button type="primary" disabled={!upload || busy || files.length === 0} loading={importing} onClick={() => void start()}>
            {t('import.start', { count: files.length })}
          </Button>
        </Tooltip>
        <Button disabled={busy || files.length === 0} onClick={() => setFiles([])}>
          {t('import.clear')}
        </Button>
        {uploaded !== null ? (
          <Space>
            <span>{t('import.uploading', { done: uploaded, total: files.length })}</span>
            <Progress percent={Math.floor((uploaded / Math.max(1, files.length)) * 100)} size="small" style={{ width: 160 }} />
          </Space>
        ) : null}
        {importing ? <span>{t('import.importing', { count: files.length })}</span> : null}
      </Space>
      {error ? <Alert type="error" showIcon title={error} /> : null}
      {results ? (
        <>
          <Alert
            type={imported === results.length ? 'success' : 'warning'}
            showIcon
            title={t('import.summary', { imported, failed: results.length - imported })}
            action={
              imported > 0 ? (
                <Button size="small" onClick={onDone}>
                  {t('menu.archive')}
                </Button>
              ) : null
            }
          />
          <Table<ResultRow>
            className="import-results"
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={results}
            columns={[
              { title: t('import.file'), dataIndex: 'file' },
              {
                title: t('import.result'),
                key: 'result',
                render: (_: unknown, row: ResultRow) => (
                  <Space>
                    <Tag color={row.ok ? 'green' : 'red'}>{row.ok ? t('import.imported') : t('import.failed')}</Tag>
                    <span className={row.ok ? 'mono' : undefined}>{row.text}</span>
                  </Space>
                ),
              },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}
