/**
 * The filing form of the current inbox item, keyboard-first: ↑/↓ move between fields, Enter accepts the
 * item (after checking it as the core will) and the screen moves to the next one. Suggested values are
 * marked with their confidence; typing over one makes it the clerk's own. A suggestion below CONFIRM_BELOW
 * is marked with an icon, colour and label and must be confirmed (Enter in its field, or its ✓) before the
 * item can be accepted. Focusing or hovering a field frames where its value was read on the page beside.
 * Customers and document types complete from the archive's lists, the signer from the registered signers of
 * the customer the form names (signer-choice.ts).
 */
import { CheckOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Space, Tag, Tooltip } from 'antd';
import type { InputRef } from 'antd';
import { forwardRef, memo, useImperativeHandle, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerRecord, DocumentTypeRecord, InboxItem } from '../../shared/model';
import { NearMatchConfirm } from '../ledger/NearMatchConfirm';
import { SigningCheckTag } from '../records/SigningCheckTag';
import { FILING_FIELDS, fieldValue, formValues, missingToFile, type Draft, type FilingField } from './filing';
import { signersOf } from './signer-choice';
import { needsConfirmation } from './suggestion-review';

export interface FilingFormHandle {
  focusFirst(): void;
  focusField(field: FilingField): void;
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
  /** Takes the field's low-confidence suggestion as the clerk's own. */
  onConfirm: (field: FilingField) => void;
  /** The field the cursor is in (picked page text goes there). */
  onFieldFocus: (field: FilingField) => void;
  /** The field under the mouse, null when it leaves the fields. */
  onFieldHover: (field: FilingField | null) => void;
}

export const FilingForm = forwardRef<FilingFormHandle, FilingFormProps>(function FilingForm(
  { item, draft, errors, customers, documentTypes, signed, onEdit, onOverride, onAccept, onConfirm, onFieldFocus, onFieldHover },
  ref,
) {
  const { t } = useTranslation();
  const inputs = useRef<(InputRef | null)[]>([]);
  useImperativeHandle(
    ref,
    () => ({
      focusFirst: () => inputs.current[0]?.focus({ cursor: 'all' }),
      focusField: (field) => inputs.current[FILING_FIELDS.indexOf(field)]?.focus({ cursor: 'all' }),
    }),
    [],
  );

  const onKeyDown = (index: number) => (event: KeyboardEvent<HTMLInputElement>) => {
    // An IME composing Chinese uses Enter and the arrows itself.
    if (event.nativeEvent.isComposing || event.altKey || event.shiftKey) return;
    if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      const field = FILING_FIELDS[index]!;
      // Enter on a suggestion still to confirm confirms it; the next Enter accepts the item.
      if (needsConfirmation(item, draft, field)) onConfirm(field);
      else onAccept();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const next = index + (event.key === 'ArrowDown' ? 1 : -1);
      if (next < 0 || next >= FILING_FIELDS.length) return;
      event.preventDefault();
      inputs.current[next]?.focus({ cursor: 'all' });
    }
  };

  const missing = missingToFile(formValues(item, draft), documentTypes, signed);

  const listFor = (field: FilingField) =>
    field === 'customer' ? 'inbox-customers' : field === 'type' ? 'inbox-types' : field === 'signer' ? 'inbox-signers' : undefined;
  const signers = signersOf(fieldValue(item, draft, 'customer').value, customers);

  return (
    <Form layout="horizontal" labelCol={{ flex: '96px' }} className="filing-form" data-document={item.document.archiveNo}>
      {FILING_FIELDS.map((field, index) => {
        const { value, source } = fieldValue(item, draft, field);
        const error = errors[field];
        const unconfirmed = needsConfirmation(item, draft, field);
        const confidence = source.kind === 'suggested' ? Math.round(source.confidence * 100) : 0;
        return (
          <div
            key={field}
            className={unconfirmed ? 'filing-field filing-field-unconfirmed' : 'filing-field'}
            data-field={field}
            onMouseEnter={() => onFieldHover(field)}
            onMouseLeave={() => onFieldHover(null)}
          >
            <Form.Item
              label={t(`doc.fields.${field}`)}
              htmlFor={`filing-${field}`}
              validateStatus={error ? 'error' : unconfirmed ? 'warning' : undefined}
              help={error}
              extra={
                unconfirmed ? (
                  <Space size={4}>
                    <Tooltip title={bestEvidence(item, field)}>
                      <Tag color="orange" icon={<ExclamationCircleOutlined />} className="suggestion-unconfirmed" id={`filing-${field}-review`}>
                        {t('inbox.form.unconfirmed', { confidence })}
                      </Tag>
                    </Tooltip>
                    <Tooltip title={t('inbox.form.confirmHint')}>
                      <Button
                        size="small"
                        icon={<CheckOutlined />}
                        className="confirm-suggestion"
                        aria-label={t('inbox.form.confirm', { field: t(`doc.fields.${field}`) })}
                        onClick={() => onConfirm(field)}
                      />
                    </Tooltip>
                  </Space>
                ) : source.kind === 'suggested' ? (
                  <Tooltip title={bestEvidence(item, field)}>
                    <Tag color="blue" className="suggested-tag">
                      {t('inbox.form.suggested', { confidence })}
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
                placeholder={
                  field === 'signedDate' || field === 'amount' || field === 'currency' || field === 'signer' ? t(`doc.placeholders.${field}`) : undefined
                }
                aria-describedby={unconfirmed ? `filing-${field}-review` : undefined}
                onChange={(event) => onEdit(field, event.target.value)}
                onKeyDown={onKeyDown(index)}
                onFocus={() => onFieldFocus(field)}
                autoComplete="off"
              />
            </Form.Item>
          </div>
        );
      })}
      <Form.Item label={t('signingCheck.label')}>
        <SigningCheckTag
          values={{
            ref: item.document.archiveNo,
            customer: fieldValue(item, draft, 'customer').value,
            signer: fieldValue(item, draft, 'signer').value,
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
      <datalist id="inbox-signers">
        {signers.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
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
