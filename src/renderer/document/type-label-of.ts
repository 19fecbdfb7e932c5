/** A document type's code as its name in the interface language (pure, so it is testable without a DOM). */
import type { DocumentTypeRecord } from '../../shared/model';

export type TypeLabel = (code: string | null) => string;

export function typeLabelOf(types: readonly DocumentTypeRecord[], language: string): TypeLabel {
  return (code) => {
    if (code === null) return '';
    const type = types.find((candidate) => candidate.code === code);
    if (!type) return code;
    return language === 'zh-CN' ? type.nameZh : type.nameEn;
  };
}
