/**
 * Column mappings for customer lists exported from common CRMs (docs/customers.md lists them). A mapping
 * names, per customer field, the column heading that holds it; columns not named are ignored.
 */
import type { CustomerImportField, CustomerMapping } from '../../../shared/records';

export const CUSTOMER_PRESETS: Record<string, CustomerMapping> = {
  /** 纷享销客 (ShareCRM / fxiaoke): 客户 → 导出. */
  fxiaoke: {
    name: '客户名称',
    code: '客户编号',
    crmId: '客户ID',
    contactName: '联系人',
    contactPhone: '电话',
    contactEmail: '邮箱',
    notes: '备注',
  },
  /** Zoho CRM: Accounts → Export. */
  zoho: {
    name: 'Account Name',
    code: 'Account Number',
    crmId: 'Record Id',
    contactPhone: 'Phone',
    notes: 'Description',
  },
};

/** The headings SlipVault writes on export (customers/export.ts), which an import maps without being told. */
export const OWN_HEADINGS: Record<CustomerImportField, string> = {
  name: 'name',
  code: 'code',
  crmId: 'crmId',
  aliases: 'aliases',
  contactName: 'contactName',
  contactPhone: 'contactPhone',
  contactEmail: 'contactEmail',
  notes: 'notes',
};
