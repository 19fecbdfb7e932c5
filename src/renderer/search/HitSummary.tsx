/**
 * What one search result says, the same in the Search screen's list and the header's quick results: archive
 * number, customer (or the title when there is none), type by label, signed date, amount, slip number,
 * status in words and the matching snippet. Plain elements, memoised: a list re-renders only rows that change.
 */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../shared/model';
import type { TypeLabel } from '../document/type-labels';
import { formatAmount } from '../format';
import { Snippet } from './Snippet';

export const HitSummary = memo(function HitSummary({ hit, typeLabel }: { hit: SearchHit; typeLabel: TypeLabel }) {
  const { t } = useTranslation();
  const { document } = hit;
  return (
    <div className="hit-summary">
      <div className="hit-line">
        <span className="mono hit-archive-no">{hit.archiveNo}</span>
        <strong className="hit-customer">{document.customer ?? document.title}</strong>
        {document.type ? <span className="hit-type">{typeLabel(document.type)}</span> : null}
        {document.signedDate ? <span className="hit-date">{document.signedDate}</span> : null}
        {document.amount !== null ? <span className="hit-amount">{formatAmount(document.amount, document.currency)}</span> : null}
        {document.slipNo ? (
          <span className="hit-slip">
            {t('find.slipNo')} <span className="mono">{document.slipNo}</span>
          </span>
        ) : null}
        <span className={`hit-status hit-status-${document.status}`}>{t(`status.${document.status}`)}</span>
      </div>
      {hit.snippet ? (
        <div className="hit-snippet">
          <span className="secondary">{t(`search.field.${hit.snippet.field}`)}: </span>
          <Snippet snippet={hit.snippet} />
        </div>
      ) : document.customer ? (
        <div className="hit-snippet secondary">{document.title}</div>
      ) : null}
    </div>
  );
});
