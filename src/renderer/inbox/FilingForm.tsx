/**
 * The filing form of the current inbox item, keyboard-first: ↑/↓ move between fields, Enter accepts the
 * item (after checking it as the core will) and the screen moves to the next one. Suggested values are
 * marked with their confidence; typing over one makes it the clerk's own. Customers and document types
 * complete from the archive's lists.
 */
import { Alert, Form, Input, Tag, Tooltip } from 'antd';
import type { InputRef } from 'antd';
import { forwardRef, memo, useImperativeHandle, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerRecord, DocumentTypeRecord, InboxItem } from '../../shared/model';
import { NearMatchConfirm } from '../ledger/NearMatchConfirm';
import { SigningCheckTag } from '../records/SigningCheckTag';
import { FILING_FIELDS, fieldValue, formValues, missingToFile, type Draft, type FilingField } from './filing';

export interface FilingFormHandle {
  focusFirst(): void;
}

interface FilingFormProps {
  item: InboxItem;
  draft: Draft;
  errors: Partial<Record<FilingField, string>>;
  customers: CustomerRecord[];
  documentTypes: DocumentTypeRecord[];
  /** The signed check's answer for this item; null while it runs. */
  signed: boolean | null;
  onEdit: (field: FilingField, value: string) => void;
  onOverride: (reason: string) => void;
  onAccept: () => void;
}

export const FilingForm = forwardRef<FilingFormHandle, FilingFormProps>(function FilingForm(
  { item, draft, errors, customers, documentTypes, signed, onEdit, onOverride, onAccept },
  ref,
) {
  const { t } = useTranslation();
  const inputs = useRef<(InputRef | null)[]>([]);
  useImperativeHandle(ref, () => ({ focusFirst: () => inputs.current[0]?.focus({ cursor: 'all' }) }), []);

  const onKeyDown = (index: number) => (event: KeyboardEvent<HTMLInputElement>) => {
    // An IME composing Chinese uses Enter and the arrows itself.
    if (event.nativeEvent.isComposing || event.altKey || event.shiftKey) return;
    if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      onAccept();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const next = index + (event.key === 'ArrowDown' ? 1 : -1);
      if (next < 0 || next >= FILING_FIELDS.length) return;
      event.preventDefault();
      inputs.current[next]?.focus({ cursor: 'all' });
    }
  };

  const missing = missingToFile(formValues(item, draft), documentTypes, signed);

  const listFor = (field: FilingField) => (field === 'customer' ? 'inbox-customers' : field === 'type' ? 'inbox-types' : undefined);

  return (
    <Form layout="horizontal" labelCol={{ flex: '96px' }} className="filing-form" data-document={item.document.archiveNo}>
      {FILING_FIELDS.map((field, index) => {
        const { value, source } = fieldValue(item, draft, field);
        const error = errors[field];
        return (
          <Form.Item
            key={field}
            label={t(`doc.fields.${field}`)}
            htmlFor={`filing-${field}`}
            validateStatus={error ? 'error' : undefined}
            help={error}
            extra={
              source.kind === 'suggested' ? (
                <Tooltip title={bestEvidence(item, field)}>
                  <Tag color="blue" className="suggested-tag">
                    {t('inbox.form.suggested', { confidence: Math.round(source.confidence * 100) })}
                  </Tag>
                </Tooltip>
              ) : undefined
            }
          >
            <Input
              id={`filing-${field}`}
              ref={(element) => {
                inputs.current[index] = element;
              }}
              value={value}
              list={listFor(field)}
              placeholder={field === 'signedDate' || field === 'amount' || field === 'currency' ? t(`doc.placeholders.${field}`) : undefined}
              onChange={(event) => onEdit(field, event.target.value)}
              onKeyDown={onKeyDown(index)}
              autoComplete="off"
            />
          </Form.Item>
        );
      })}
      <Form.Item label={t('signingCheck.label')}>
        <SigningCheckTag
          values={{
            ref: item.document.archiveNo,
            customer: fieldValue(item, draft, 'customer').value,
            type: fieldValue(item, draft, 'type').value,
            signedDate: fieldValue(item, draft, 'signedDate').value,
            amount: fieldValue(item, draft, 'amount').value,
          }}
        />
      </Form.Item>
      {missing.length > 0 ? (
        <>
          <Alert
            className="filing-missing"
            type="warning"
            showIcon
            title={t('inbox.form.missing', { fields: missing.map((field) => t(`doc.fields.${field}`)).join(t('inbox.form.listSeparator')) })}
          />
          <Form.Item label={t('inbox.form.override')} htmlFor="filing-override" extra={t('inbox.form.overrideHint')}>
            <Input
              id="filing-override"
              value={draft.override ?? ''}
              onChange={(event) => onOverride(event.target.value)}
              // Enter accepts here too: typing the reason is the last thing done to such a slip.
              onPressEnter={(event) => !event.nativeEvent.isComposing && onAccept()}
              autoComplete="off"
            />
          </Form.Item>
        </>
      ) : null}
      <NearMatchConfirm documentId={item.document.id} archiveNo={item.document.archiveNo} />
      <CompletionLists customers={customers} documentTypes={documentTypes} />
    </Form>
  );
});

/** What the customer and type fields complete from; memoised, as an archive has hundreds of customers. */
const CompletionLists = memo(function CompletionLists({ customers, documentTypes }: { customers: CustomerRecord[]; documentTypes: DocumentTypeRecord[] }) {
  const { i18n } = useTranslation();
  return (
    <>
      <datalist id="inbox-customers">
        {customers.map((customer) => (
          <option key={customer.id} value={customer.name} />
        ))}
      </datalist>
      <datalist id="inbox-types">
        {documentTypes.map((type) => (
          <option key={type.code} value={type.code}>
            {i18n.language === 'zh-CN' ? type.nameZh : type.nameEn}
          </option>
        ))}
      </datalist>
    </>
  );
});

function bestEvidence(item: InboxItem, field: FilingField): string | undefined {
  return item.suggestions.find((suggestion) => suggestion.field === field)?.evidence;
}
