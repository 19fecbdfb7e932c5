/**
 * Filed documents whose slip number no ledger row expected (ledger:unexpected), fetched when the clerk opens the
 * list; each opens in the document drawer, where it can be checked and corrected.
 */
import { Button, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UnexpectedSlip } from '../../shared/model';
import { useApp } from '../context';
import { DocumentDrawer } from '../document/DocumentDrawer';
import { errorText } from '../format';

const SHOWN = 100;

export function UnexpectedSlips({ count }: { count: number }) {
  const { t } = useTranslation();
  const { platform } = useApp();
  const [items, setItems] = useState<UnexpectedSlip[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);

  const show = () =>
    platform.client.call('ledger:unexpected', { limit: SHOWN }).then(
      (value) => setItems(value.items),
      (reason: unknown) => setError(errorText(t, reason)),
    );

  return (
    <div className="due-unexpected-slips">
      <span>{t('ledgerUi.due.unexpected', { count })}</span>
      {count > 0 && items === null ? (
        <Button type="link" onClick={() => void show()} className="show-unexpected">
          {t('ledgerUi.due.showUnexpected')}
        </Button>
      ) : null}
      {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
      {items ? (
        <ul className="due-list">
          {items.map(({ document }) => (
            <li key={document.id}>
              <a onClick={() => setOpenId(document.id)}>
                {document.archiveNo} · {document.slipNo} · {document.customer ?? ''}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      <DocumentDrawer documentId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}
