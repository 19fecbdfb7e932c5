/**
 * Near matches of an inbox document in the ledger (issue 17, item 2): open rows whose slip number is one or two
 * characters off the document's (typed, suggested or read from a barcode), or equal but for another customer.
 * The matcher never links those by itself; the clerk confirms one here (ledger:link, a new version of the
 * document, audited). Rendered by the filing form, fetched again when the document changes.
 */
import { Alert, App, Button, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LedgerCandidate } from '../../shared/model';
import { useApp } from '../context';
import { useDocumentChanges } from '../document-changes';
import { errorText, formatAmount } from '../format';
import './ledger.css';

export function NearMatchConfirm({ documentId, archiveNo }: { documentId: number; archiveNo: string }) {
  const { t } = useTranslation();
  const { platform, may } = useApp();
  const { message } = App.useApp();
  const client = platform.client;
  const [candidates, setCandidates] = useState<LedgerCandidate[]>([]);
  const [linking, setLinking] = useState<number | null>(null);
  const [linked, setLinked] = useState<string | null>(null);

  const load = useCallback(() => {
    client.call('ledger:candidates', { document: documentId }).then(setCandidates, () => setCandidates([]));
  }, [client, documentId]);
  useEffect(() => {
    setLinked(null);
    load();
  }, [load]);
  useDocumentChanges(client, (ids) => ids.has(documentId) && load());

  const confirm = async (candidate: LedgerCandidate) => {
    setLinking(candidate.row.id);
    try {
      const row = await client.call('ledger:link', {
        row: candidate.row.id,
        document: documentId,
        reason: t('ledgerUi.nearMatch.reason', { slip: candidate.row.slipNo, document: archiveNo }),
      });
      setLinked(row.slipNo);
      load();
    } catch (reason) {
      message.error(errorText(t, reason));
    } finally {
      setLinking(null);
    }
  };

  if (linked)
    return <Alert className="near-match-linked" type="success" showIcon title={t('ledgerUi.nearMatch.linked', { slip: linked, document: archiveNo })} />;
  if (candidates.length === 0) return null;
  return (
    <div className="near-match">
      <Typography.Text strong>{t('ledgerUi.nearMatch.title')}</Typography.Text>
      <ul className="near-match-list">
        {candidates.map((candidate) => (
          <li key={candidate.row.id} data-slip={candidate.row.slipNo}>
            <Space wrap size={4}>
              <Typography.Text code>{candidate.row.slipNo}</Typography.Text>
              <span>{candidate.row.customer}</span>
              <span>{formatAmount(candidate.row.amount, candidate.row.currency)}</span>
              <Tag className="near-match-distance">{t('ledgerUi.nearMatch.distance', { count: candidate.distance, slip: candidate.slipNo })}</Tag>
              {candidate.customerDiffers ? <Tag color="orange">{t('ledgerUi.nearMatch.customerDiffers')}</Tag> : null}
              {may('ledger:link') ? (
                <Button size="small" type="primary" loading={linking === candidate.row.id} onClick={() => void confirm(candidate)} className="confirm-match">
                  {t('ledgerUi.nearMatch.confirm')}
                </Button>
              ) : null}
            </Space>
          </li>
        ))}
      </ul>
    </div>
  );
}
