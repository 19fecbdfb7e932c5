/**
 * Scanner capture into the inbox: the batch is split on blank sheets by the core and each part lands in
 * the inbox as a new document; background OCR takes it from there.
 */
import { useTranslation } from 'react-i18next';
import { useApp } from '../context';
import { errorText } from '../format';
import { ScanControls, type ScanRequest, type ScanOutcome } from './ScanControls';

export function ScanPanel() {
  const { t } = useTranslation();
  const { platform } = useApp();

  const scanIntoInbox = async (request: ScanRequest): Promise<ScanOutcome> => {
    const result = await platform.client.call('scanner:scan', request);
    const failed = result.import.failed.map((item) => errorText(t, item));
    return {
      type: failed.length === 0 ? 'success' : 'error',
      text: [t('inbox.scan.done', { pages: result.pages, documents: result.import.imported.length }), ...failed].join(' '),
    };
  };

  return <ScanControls onScan={scanIntoInbox} startLabel={t('inbox.scan.start')} />;
}
