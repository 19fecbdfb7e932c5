/**
 * Document types by label, never by code: the archive's types are fetched once per screen that shows them
 * (and again on F5), and a code is shown as the label in the interface's language.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentTypeRecord } from '../../shared/model';
import { useApp } from '../context';
import { typeLabelOf, type TypeLabel } from './type-label-of';

export type { TypeLabel } from './type-label-of';

export function useTypeLabel(): TypeLabel {
  const { platform, revision } = useApp();
  const { i18n } = useTranslation();
  const [types, setTypes] = useState<DocumentTypeRecord[]>([]);
  useEffect(() => {
    let current = true;
    platform.client.call('documentTypes:list', {}).then(
      (found) => current && setTypes(found),
      // Without the list a type shows as its code; the screen itself still works.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [platform, revision]);
  return useCallback<TypeLabel>((code) => typeLabelOf(types, i18n.language)(code), [types, i18n.language]);
}
