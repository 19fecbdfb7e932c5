/**
 * Importing an ERP export into the ledger (issue 17, item 1): choose a CSV or XLSX file and its encoding, map
 * each field to a column (from a saved mapping, guessed from the headers, or by hand) while a preview shows
 * what every row would become and every bad row with its line and reason, then import all or nothing or
 * explicitly only the good rows. The page hands the file over again for every call: an upload lives only
 * until the call that used it has finished.
 */
import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Radio, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  LEDGER_ENCODINGS,
  LEDGER_IMPORT_FIELDS,
  LEDGER_REQUIRED_FIELDS,
  type LedgerEncoding,
  type LedgerImportField,
  type LedgerImportPreview,
  type LedgerImportResult,
  type LedgerMapping,
  type LedgerMappingColumns,
  type LedgerPreviewRow,
  type LedgerRowProblem,
} from '../../shared/model';
import { isErrorPayload } from '../../shared/errors';
import { useApp } from '../context';
import { errorText } from '../format';
import { ProblemList } from '../ledger/ProblemList';
import '../ledger/ledger.css';

const PREVIEW_ROWS = 20;
const ACTION_COLOURS: Record<LedgerPreviewRow['action'], string> = { create: 'green', update: 'blue', unchanged: 'default', refused: 'red' };

/** Where the mapping comes from: a saved one by name, the columns on screen, or the core's guess. */
type MappingChoice = { kind: 'guess' } | { kind: 'saved'; name: string } | { kind: 'columns'; columns: LedgerMappingColumns };

function mappingInput(choice: MappingChoice): { mappingName?: string; columns?: LedgerMappingColumns } {
  if (choice.kind === 'saved') return { mappingName: choice.name };
  if (choice.kind === 'columns' && Object.keys(choice.columns).length > 0) return { columns: choice.columns };
  return {};
}

function problemsOf(error: unknown): LedgerRowProblem[] {
  if (!isErrorPayload(error)) return [];
  const problems = error.details?.problems;
  return Array.isArray(problems) ? (problems as LedgerRowProblem[]) : [];
}

export function LedgerImportScreen({ navigate }: { navigate: (key: string) => void }) {
  const { t } = useTranslation();
  const { platform } = useApp();
  const { message } = App.useApp();
  const client = platform.client;
  const upload = platform.uploadFile;
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState<LedgerEncoding>('auto');
  const [mapping, setMapping] = useState<MappingChoice>({ kind: 'guess' });
  const [saved, setSaved] = useState<LedgerMapping[]>([]);
  const [preview, setPreview] = useState<LedgerImportPreview | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [goodRows, setGoodRows] = useState(false);
  const [mappingName, setMappingName] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<LedgerImportResult | null>(null);
  const [importError, setImportError] = useState<unknown>(null);

  useEffect(() => {
    client.call('ledger:mappings', {}).then(setSaved, (reason: unknown) => message.error(errorText(t, reason)));
  }, [client, message, t]);

  const withUpload = useCallback(
    async <T,>(work: (path: string) => Promise<T>): Promise<T> => {
      if (!upload || !file) throw new Error(t('ledgerUi.import.noUpload'));
      return work(await upload(file));
    },
    [upload, file, t],
  );

  useEffect(() => {
    if (!file) return;
    let cancelled = false;
    setBusy(true);
    withUpload((path) => client.call('ledger:importPreview', { path, encoding, rows: PREVIEW_ROWS, ...mappingInput(mapping) }))
      .then(
        (value) => {
          if (cancelled) return;
          setPreview(value);
          setPreviewError(null);
        },
        (reason: unknown) => {
          if (cancelled) return;
          setPreview(null);
          setPreviewError(reason);
        },
      )
      .finally(() => !cancelled && setBusy(false));
    return () => {
      cancelled = true;
    };
  }, [client, file, encoding, mapping, withUpload]);

  const columns: LedgerMappingColumns = preview?.columns ?? {};
  const mapField = (field: LedgerImportField, header: string | undefined) => {
    const next: LedgerMappingColumns = { ...columns };
    if (header) next[field] = header;
    else delete next[field];
    setMapping({ kind: 'columns', columns: next });
  };

  const saveMapping = async () => {
    try {
      const stored = await client.call('ledger:saveMapping', { name: mappingName, columns });
      setSaved((previous) => [...previous.filter((entry) => entry.name !== stored.name), stored]);
      message.success(t('ledgerUi.import.mappingSaved', { name: stored.name }));
    } catch (reason) {
      message.error(errorText(t, reason));
    }
  };

  const runImport = async () => {
    setBusy(true);
    setResult(null);
    setImportError(null);
    try {
      setResult(await withUpload((path) => client.call('ledger:import', { path, encoding, goodRows, ...mappingInput(mapping) })));
    } catch (reason) {
      setImportError(reason);
    } finally {
      setBusy(false);
    }
  };

  const chooseFile = (chosen: File) => {
    setFile(chosen);
    setResult(null);
    setImportError(null);
    return false;
  };

  const problems = preview?.problems ?? [];
  const canImport = preview !== null && preview.missingColumns.length === 0 && (problems.length === 0 || goodRows) && !busy;

  return (
    <div className="ledger-import" data-busy={busy}>
      <Typography.Title level={4}>{t('ledgerUi.import.title')}</Typography.Title>
      {!upload ? <Alert type="warning" showIcon title={t('ledgerUi.import.noUpload')} /> : null}
      <Space wrap>
        <Upload accept=".csv,.txt,.xlsx" showUploadList={false} beforeUpload={chooseFile} disabled={!upload}>
          <Button icon={<UploadOutlined />} className="choose-file">
            {t('ledgerUi.import.chooseFile')}
          </Button>
        </Upload>
        <Typography.Text className="chosen-file">{file?.name}</Typography.Text>
        <Select<LedgerEncoding>
          className="import-encoding"
          style={{ width: 170 }}
          value={encoding}
          onChange={setEncoding}
          options={LEDGER_ENCODINGS.map((value) => ({ value, label: t(`ledgerUi.import.encodings.${value}`) }))}
        />
        <Select
          className="import-mapping"
          style={{ width: 200 }}
          value={mapping.kind === 'saved' ? mapping.name : mapping.kind}
          onChange={(value: string) => setMapping(value === 'guess' ? { kind: 'guess' } : value === 'columns' ? mapping : { kind: 'saved', name: value })}
          options={[
            { value: 'guess', label: t('ledgerUi.import.guess') },
            ...(mapping.kind === 'columns' ? [{ value: 'columns', label: t('ledgerUi.import.byHand') }] : []),
            ...saved.map((entry) => ({ value: entry.name, label: entry.name })),
          ]}
        />
      </Space>
      {previewError ? <Alert className="preview-error" type="error" showIcon title={errorText(t, previewError)} /> : null}
      {preview ? (
        <Space orientation="vertical" size={12} style={{ width: '100%', marginTop: 12 }}>
          <Card size="small" title={t('ledgerUi.import.mappingStep')} className="mapping-step">
            <Form layout="inline">
              {LEDGER_IMPORT_FIELDS.map((field) => (
                <Form.Item
                  key={field}
                  label={t(`ledgerUi.fields.${field}`)}
                  required={(LEDGER_REQUIRED_FIELDS as readonly string[]).includes(field)}
                  validateStatus={preview.missingColumns.includes(field) ? 'error' : undefined}
                >
                  <Select
                    allowClear
                    showSearch
                    className={`map-${field}`}
                    style={{ width: 150 }}
                    value={columns[field]}
                    placeholder={t('ledgerUi.import.notMapped')}
                    onChange={(header: string | undefined) => mapField(field, header)}
                    options={preview.headers.map((header) => ({ value: header, label: header }))}
                  />
                </Form.Item>
              ))}
            </Form>
            {preview.missingColumns.length > 0 ? (
              <Alert
                className="missing-columns"
                type="warning"
                showIcon
                title={t('ledgerUi.import.missingColumns', { fields: preview.missingColumns.map((field) => t(`ledgerUi.fields.${field}`)).join(', ') })}
              />
            ) : null}
            <Space style={{ marginTop: 8 }}>
              <Input
                placeholder={t('ledgerUi.import.mappingName')}
                value={mappingName}
                onChange={(event) => setMappingName(event.target.value)}
                className="mapping-name"
              />
              <Button onClick={() => void saveMapping()} disabled={mappingName.trim() === '' || Object.keys(columns).length === 0} className="save-mapping">
                {t('ledgerUi.import.saveMapping')}
              </Button>
            </Space>
          </Card>
          <Typography.Text className="preview-summary">
            {t('ledgerUi.import.summary', {
              format: preview.format.toUpperCase(),
              encoding: preview.encoding,
              total: preview.totalRows,
              good: preview.goodRows,
              bad: problems.length,
            })}
          </Typography.Text>
          <Table<LedgerPreviewRow>
            className="preview-rows"
            size="small"
            rowKey="line"
            pagination={false}
            dataSource={preview.rows}
            scroll={{ x: 1000 }}
            columns={[
              { key: 'line', title: t('ledgerUi.import.line'), dataIndex: 'line', width: 60 },
              {
                key: 'action',
                title: t('ledgerUi.import.action'),
                width: 100,
                render: (_, row) => <Tag color={ACTION_COLOURS[row.action]}>{t(`ledgerUi.import.actions.${row.action}`)}</Tag>,
              },
              { key: 'slipNo', title: t('ledgerUi.fields.slipNo'), render: (_, row) => row.values?.slipNo },
              { key: 'customer', title: t('ledgerUi.fields.customer'), render: (_, row) => row.values?.customer },
              { key: 'issueDate', title: t('ledgerUi.fields.issueDate'), render: (_, row) => row.values?.issueDate },
              {
                key: 'amount',
                title: t('ledgerUi.fields.amount'),
                render: (_, row) => (row.values?.amount ? `${row.values.amount} ${row.values.currency ?? ''}` : ''),
              },
              { key: 'problems', title: t('ledgerUi.import.problem'), render: (_, row) => row.problems.map((problem) => problem.reason).join('; ') },
            ]}
          />
          {problems.length > 0 ? (
            <>
              <Alert type="error" showIcon title={t('ledgerUi.import.badRows', { count: problems.length })} />
              <ProblemList problems={problems} className="preview-problems" />
            </>
          ) : null}
          <Space>
            <Radio.Group value={goodRows} onChange={(event) => setGoodRows(event.target.value as boolean)} className="import-mode">
              <Radio value={false}>{t('ledgerUi.import.allOrNothing')}</Radio>
              <Radio value={true}>{t('ledgerUi.import.goodRowsOnly')}</Radio>
            </Radio.Group>
            <Button type="primary" onClick={() => void runImport()} disabled={!canImport} className="run-import">
              {t('ledgerUi.import.run')}
            </Button>
          </Space>
        </Space>
      ) : null}
      {importError ? (
        <>
          <Alert className="import-error" type="error" showIcon title={errorText(t, importError)} />
          <ProblemList problems={problemsOf(importError)} className="import-problems" />
        </>
      ) : null}
      {result ? (
        <Alert
          className="import-result"
          type="success"
          showIcon
          title={t('ledgerUi.import.done', { created: result.created, updated: result.updated, unchanged: result.unchanged, skipped: result.skipped.length })}
          action={<Button onClick={() => navigate('ledger')}>{t('ledgerUi.import.openList')}</Button>}
        />
      ) : null}
    </div>
  );
}
