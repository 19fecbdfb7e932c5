/**
 * The scanner controls (SANE on Linux): find the scanners, pick scanner / source / duplex / resolution,
 * scan. Where the pages go is the caller's: the inbox (a batch of new documents) or an open document (its
 * added pages). Looking for scanners can take seconds (network scanners), so it happens on request, not on
 * open. The options start from the archive's scanner defaults (Settings).
 */
import { ScanOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, InputNumber, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SCAN_SOURCES, type ScannerInfo, type ScanSource } from '../../shared/model';
import { useApp } from '../context';
import { errorText } from '../format';

export interface ScanRequest {
  device?: string;
  source: ScanSource;
  duplex: boolean;
  resolution: number;
}

export interface ScanOutcome {
  type: 'success' | 'error';
  text: string;
}

export function ScanControls({ onScan, startLabel }: { onScan: (request: ScanRequest) => Promise<ScanOutcome>; startLabel: string }) {
  const { t } = useTranslation();
  const { platform } = useApp();
  const [scanners, setScanners] = useState<ScannerInfo[] | null>(null);
  const [device, setDevice] = useState<string | undefined>(undefined);
  const [source, setSource] = useState<ScanSource>('ADF');
  const [duplex, setDuplex] = useState(false);
  const [resolution, setResolution] = useState(300);
  const [busy, setBusy] = useState<'finding' | 'scanning' | null>(null);
  const [message, setMessage] = useState<ScanOutcome | null>(null);

  useEffect(() => {
    let cancelled = false;
    platform.client.call('settings:get', {}).then(
      ({ settings: { scannerDefaults } }) => {
        if (cancelled) return;
        if (scannerDefaults.device) setDevice(scannerDefaults.device);
        setSource(scannerDefaults.source);
        setDuplex(scannerDefaults.duplex);
        setResolution(scannerDefaults.resolution);
      },
      // Without stored defaults the built-in options above stand; scanning itself reports real errors.
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [platform]);

  const find = async () => {
    setBusy('finding');
    setMessage(null);
    try {
      const found = await platform.client.call('scanner:list', {});
      setScanners(found);
      setDevice((current) => current ?? found[0]?.device);
    } catch (reason) {
      setMessage({ type: 'error', text: errorText(t, reason) });
    } finally {
      setBusy(null);
    }
  };

  const scan = async () => {
    setBusy('scanning');
    setMessage(null);
    try {
      setMessage(await onScan({ ...(device ? { device } : {}), source, duplex: source === 'ADF' && duplex, resolution }));
    } catch (reason) {
      setMessage({ type: 'error', text: errorText(t, reason) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="scan-panel">
      <Space wrap>
        <Button icon={<SearchOutlined />} loading={busy === 'finding'} disabled={busy !== null} onClick={() => void find()}>
          {t('inbox.scan.find')}
        </Button>
        {scanners !== null && scanners.length === 0 ? <Typography.Text type="secondary">{t('inbox.scan.none')}</Typography.Text> : null}
        {scanners && scanners.length > 0 ? (
          <>
            <Select
              aria-label={t('inbox.scan.device')}
              className="scan-device"
              style={{ minWidth: 200 }}
              value={device}
              onChange={setDevice}
              options={scanners.map((scanner) => ({ value: scanner.device, label: `${scanner.vendor} ${scanner.model} (${scanner.device})` }))}
            />
            <Select
              aria-label={t('inbox.scan.source')}
              className="scan-source"
              style={{ minWidth: 140 }}
              value={source}
              onChange={setSource}
              options={SCAN_SOURCES.map((value) => ({ value, label: t(`inbox.scan.sources.${value}`) }))}
            />
            <Checkbox checked={duplex} disabled={source !== 'ADF'} onChange={(event) => setDuplex(event.target.checked)}>
              {t('inbox.scan.duplex')}
            </Checkbox>
            <InputNumber
              aria-label={t('inbox.scan.resolution')}
              className="scan-resolution"
              min={50}
              max={1200}
              step={50}
              value={resolution}
              onChange={(value) => setResolution(value ?? 300)}
              suffix="dpi"
            />
            <Button type="primary" icon={<ScanOutlined />} loading={busy === 'scanning'} disabled={busy !== null} onClick={() => void scan()}>
              {startLabel}
            </Button>
          </>
        ) : null}
      </Space>
      {message ? <Alert className="scan-message" type={message.type} showIcon title={message.text} /> : null}
    </div>
  );
}
