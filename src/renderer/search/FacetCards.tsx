/**
 * The facet sidebar of the Search screen: counts per customer, type and year for the shown results; a click
 * adds that filter to the query. Memoised: typing in the search box does not draw it again.
 */
import { Button, Card, Spin, Typography } from 'antd';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchFacets } from '../../shared/model';
import { useTypeLabel } from '../document/type-labels';
import type { FacetField } from './query-text';

const FACET_FIELDS: FacetField[] = ['customer', 'type', 'year'];

/** `facets` null: still being counted. */
export const FacetCards = memo(function FacetCards({
  facets,
  onFilter,
}: {
  facets: SearchFacets | null;
  onFilter: (field: FacetField, value: string) => void;
}) {
  const { t } = useTranslation();
  const typeLabel = useTypeLabel();
  return FACET_FIELDS.map((field) => (
    <Card key={field} size="small" title={t(`search.facet.${field}`)} className={`facet facet-${field}`}>
      {facets === null ? <Spin size="small" /> : null}
      {facets?.[field].length === 0 ? <Typography.Text type="secondary">—</Typography.Text> : null}
      {facets?.[field].map((facet) => (
        <div key={facet.value}>
          <Button type="link" size="small" onClick={() => onFilter(field, facet.value)}>
            {field === 'type' ? typeLabel(facet.value) : facet.value}
          </Button>
          <Typography.Text type="secondary">{facet.count}</Typography.Text>
        </div>
      ))}
    </Card>
  ));
});
