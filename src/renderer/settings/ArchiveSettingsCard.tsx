/**
 * The archive's own settings (settings:get / settings:update): OCR languages from the installed packs,
 * the OCR engine, slip-number patterns, review threshold, hot folder and scanner defaults. Saved together; the core checks
 * every value again and its message is shown.
 */
import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber, Radio, Select, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SCAN_SOURCES } from '../../shared/model';
import { OCR_ENGINE_CHOICES, OCR_MODELS, RESOLUTIONS, type ArchiveSettings, type OcrEngineChoice, type SettingsView } from '../../shared/settings';
import { useApp } from '../context';
import { errorText } from '../format';
import { patternsToSave, SlipPatternsEditor } from './SlipPatternsEditor';

export function ArchiveSettingsCard({ archivePath }: { archivePath: string | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { platform, revision } = useApp();
  const [view, setView] = useState<SettingsView | null>(null);
  const [draft, setDraft] = useState<ArchiveSettings | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    platform.client.call('settings:get', {}).then(
      (value) => {
        if (cancelled) return;
        setView(value);
        setDraft(value.settings);
      },
      (reason: unknown) => !cancelled && setError(errorText(t, reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [platform, revision, t]);

  if (!draft || !view) return error ? <Alert type="error" showIcon title={error} /> : null;
  const patterns = patternsToSave(draft.slipNumberPatterns);
  const change = (changes: Partial<ArchiveSettings>) => setDraft({ ...draft, ...changes });
  const scanner = (changes: Partial<ArchiveSettings['scannerDefaults']>) => change({ scannerDefaults: { ...draft.scannerDefaults, ...changes } });

  const save = async () => {
    if (!patterns) return;
    setSaving(true);
    setError(null);
    try {
      // Only what this card edits: the backup schedule and the idle lock are changed elsewhere, and a stale copy must not undo that.
      const { ocrLanguages, ocrEngine, ocrModel, reviewConfidenceThreshold, hotFolderPath, scannerDefaults } = draft;
      const changes = { ocrLanguages, ocrEngine, ocrModel, slipNumberPatterns: patterns, reviewConfidenceThreshold, hotFolderPath, scannerDefaults };
      const settings = await platform.client.call('settings:update', { changes });
      setView({ ...view, settings });
      setDraft(settings);
      void message.success(t('archiveSettings.saved'));
    } catch (reason) {
      setError(errorText(t, reason));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={t('archiveSettings.title')} className="archive-settings">
      <Form layout="vertical" onFinish={() => void save()}>
        <Form.Item label={t('archiveSettings.location')}>
          <Typography.Text className="mono archive-location">{archivePath}</Typography.Text>
          <div>
            <Typography.Text type="secondary">{t('archiveSettings.locationHint')}</Typography.Text>
          </div>
        </Form.Item>
        <Form.Item
          label={t('archiveSettings.ocrLanguages')}
          help={draft.ocrLanguages.length === 0 ? t('archiveSettings.oneLanguage') : undefined}
          validateStatus={draft.ocrLanguages.length === 0 ? 'error' : undefined}
        >
          <Checkbox.Group
            className="ocr-languages"
            value={draft.ocrLanguages}
            onChange={(codes) => change({ ocrLanguages: view.installedLanguages.filter((code) => codes.includes(code)) })}
            options={view.installedLanguages.map((code) => ({
              value: code,
              label: t(`archiveSettings.languageNames.${code}`, { defaultValue: code }),
            }))}
          />
        </Form.Item>
        <Form.Item label={t('archiveSettings.ocrEngine')} extra={t('archiveSettings.ocrEngineHint')}>
          <Radio.Group
            className="ocr-engine"
            optionType="button"
            value={draft.ocrEngine}
            onChange={(event) => change({ ocrEngine: event.target.value as OcrEngineChoice })}
            options={OCR_ENGINE_CHOICES.map((engine) => ({ value: engine, label: t(`archiveSettings.ocrEngines.${engine}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('archiveSettings.ocrModel')} extra={t('archiveSettings.ocrModelHint')}>
          <Radio.Group
            className="ocr-model"
            optionType="button"
            value={draft.ocrModel}
            onChange={(event) => change({ ocrModel: event.target.value as ArchiveSettings['ocrModel'] })}
            options={OCR_MODELS.map((model) => ({ value: model, label: t(`archiveSettings.ocrModels.${model}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('archiveSettings.slipPatterns')} extra={t('archiveSettings.slipPatternsHint')}>
          <SlipPatternsEditor value={draft.slipNumberPatterns} onChange={(slipNumberPatterns) => change({ slipNumberPatterns })} />
        </Form.Item>
        <Form.Item label={t('archiveSettings.reviewThreshold')} extra={t('archiveSettings.reviewThresholdHint')}>
          <InputNumber
            id="review-threshold"
            min={0}
            max={100}
            value={draft.reviewConfidenceThreshold}
            onChange={(value) => change({ reviewConfidenceThreshold: value ?? 0 })}
          />
        </Form.Item>
        <Form.Item label={t('archiveSettings.hotFolder')} extra={t('archiveSettings.hotFolderHint')}>
          <Input
            id="hot-folder"
            className="mono"
            value={draft.hotFolderPath ?? ''}
            placeholder={t('archiveSettings.none')}
            onChange={(event) => change({ hotFolderPath: event.target.value.trim() === '' ? null : event.target.value })}
          />
        </Form.Item>
        <Form.Item label={t('archiveSettings.scanner')}>
          <Space wrap>
            <Input
              id="scanner-device"
              style={{ width: 220 }}
              value={draft.scannerDefaults.device ?? ''}
              placeholder={t('archiveSettings.firstScanner')}
              aria-label={t('archiveSettings.device')}
              onChange={(event) => scanner({ device: event.target.value.trim() === '' ? null : event.target.value })}
            />
            <Radio.Group
              optionType="button"
              value={draft.scannerDefaults.source}
              onChange={(event) => scanner({ source: event.target.value as ArchiveSettings['scannerDefaults']['source'] })}
              options={SCAN_SOURCES.map((source) => ({ value: source, label: t(`archiveSettings.source.${source}`) }))}
            />
            <Space>
              <Switch checked={draft.scannerDefaults.duplex} onChange={(duplex) => scanner({ duplex })} aria-label={t('archiveSettings.duplex')} />
              {t('archiveSettings.duplex')}
            </Space>
            <Select
              style={{ width: 110 }}
              aria-label={t('archiveSettings.resolution')}
              value={draft.scannerDefaults.resolution}
              onChange={(resolution) => scanner({ resolution })}
              options={RESOLUTIONS.map((dpi) => ({ value: dpi, label: `${dpi} dpi` }))}
            />
          </Space>
        </Form.Item>
        {error ? <Alert className="settings-error" type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
        <Button type="primary" htmlType="submit" loading={saving} disabled={!patterns || draft.ocrLanguages.length === 0}>
          {t('archiveSettings.save')}
        </Button>
      </Form>
    </Card>
  );
}
