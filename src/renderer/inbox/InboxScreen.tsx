/**
 * The Inbox: where documents come in (import, scanner, hot folder), are recognised in the background
 * (live progress per job), and are filed by a clerk. The list shows each inbox document with its first
 * page, OCR state, confidence and duplicate warnings; the form beside it is pre-filled from the
 * suggestions. Keyboard-first: the cursor is in the form when the screen opens, Enter accepts the current
 * item and moves on, ↑/↓ move between fields, Ctrl/Cmd+Enter files every accepted item (inbox:file). What
 * the clerk typed or accepted is a draft kept in the archive (draft-sync.ts) until filed or discarded.
 * Between list and form the selected item's page (InboxPage.tsx) frames where each suggestion was read;
 * a word clicked or selected there fills the focused field, and low-confidence suggestions wait for the
 * clerk's confirmation (suggestion-review.ts).
 */
import { Alert, Button, Empty, Segmented, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxOrder } from '../../shared/inbox-draft';
import type { CustomerRecord, DocumentTypeRecord, InboxItem } from '../../shared/model';
import type { FieldIssue } from '../../shared/messages';
import { useApp } from '../context';
import { errorText } from '../format';
import { useDocumentChanges } from '../document-changes';
import { useHotkeys } from '../hotkeys';
import { coreMessageText, fieldIssueText, fieldIssueWords } from '../i18n/core-messages';
import { FilingForm, type FilingFormHandle } from './FilingForm';
import { fromFilingDraft, useDraftSync } from './draft-sync';
import { EMPTY_DRAFT, FILING_FIELDS, fieldValue, filingChanges, nextOpenIndex, type Draft, type FilingField } from './filing';
import { HotFolderPanel } from './HotFolderPanel';
import { ImportPanel } from './ImportPanel';
import { INBOX_ORDERS, storedInboxOrder, storeInboxOrder } from './inbox-order';
import { InboxListItem, type PickKeys } from './InboxListItem';
import { BatchFileDialog, type BatchFiled } from './BatchFileDialog';
import { extended, pickedInOrder, ranged, toggled } from './selection';
import { resolveSignerName, signersOf } from './signer-choice';
import { resolveTypeCode } from './type-choice';
import { InboxPage, type FieldBox } from './InboxPage';
import { fieldTextOf } from './picked-text';
import { confirmSuggestion, sourceBoxOf, unconfirmedFields } from './suggestion-review';
import { JobsPanel } from './JobsPanel';
import { reuseUnchanged } from './reuse-unchanged';
import { ScanPanel } from './ScanPanel';
import { SignatureStatus } from './SignatureStatus';

const INBOX_LIMIT = 500;

/** The draft with a typed type (a code's or name's start) replaced by the code it names (type-choice.ts). */
function typeResolved(draft: Draft, types: DocumentTypeRecord[]): Draft {
  const typed = draft.edits.type;
  if (typed === undefined) return draft;
  const code = resolveTypeCode(typed, types);
  return code === typed ? draft : { ...draft, edits: { ...draft.edits, type: code } };
}

/** The draft with a typed signer (a registered name's start) replaced by the name of the form's customer's signer (signer-choice.ts). */
function signerResolved(item: InboxItem, draft: Draft, customers: CustomerRecord[]): Draft {
  const typed = draft.edits.signer;
  if (typed === undefined) return draft;
  const name = resolveSignerName(typed, signersOf(fieldValue(item, draft, 'customer').value, customers));
  return name === typed ? draft : { ...draft, edits: { ...draft.edits, signer: name } };
}

interface FileOutcome {
  filed: string[];
  failures: { archiveNo: string; reason: string }[];
}

export function InboxScreen({ dropped, takeDropped }: { dropped: File[]; takeDropped: () => File[] }) {
  const { t } = useTranslation();
  const { platform, revision, user } = useApp();
  const client = platform.client;
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<ReadonlyMap<number, Draft>>(new Map());
  const [currentId, setCurrentId] = useState<number | null>(null);
  const [errors, setErrors] = useState<Partial<Record<FilingField, string>>>({});
  const [customers, setCustomers] = useState<CustomerRecord[]>([]);
  const [documentTypes, setDocumentTypes] = useState<DocumentTypeRecord[]>([]);
  const [filing, setFiling] = useState(false);
  const [outcome, setOutcome] = useState<FileOutcome | null>(null);
  // Starts at 1: the cursor is in the form as soon as the screen shows an item.
  const [focusRequest, setFocusRequest] = useState(1);
  const [order, setOrder] = useState<InboxOrder>(storedInboxOrder);
  const draftSync = useDraftSync(client);
  const form = useRef<FilingFormHandle>(null);
  /** The current item's signed check (SignatureStatus); null while it runs. */
  const [signed, setSigned] = useState<boolean | null>(null);
  /** The field text picked on the page goes to: the one the cursor was last in. */
  const [focusedField, setFocusedField] = useState<FilingField>(FILING_FIELDS[0]);
  const [hoveredField, setHoveredField] = useState<FilingField | null>(null);
  /** Documents picked for batch filing (selection.ts), and whether its dialog is open. */
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  const [batchOpen, setBatchOpen] = useState(false);

  // The inbox is read again when documents change (imports, OCR results, filing), not on every change elsewhere.
  const [changes, countChanges] = useReducer((n: number) => n + 1, 0);
  useDocumentChanges(client, countChanges);

  useEffect(() => {
    let cancelled = false;
    client.call('inbox:list', { limit: INBOX_LIMIT, order }).then(
      (list) => {
        if (cancelled) return;
        setItems((previous) => reuseUnchanged(previous, list, (item) => item.document.id));
        setLoadError(null);
      },
      (reason: unknown) => !cancelled && setLoadError(errorText(t, reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [client, revision, changes, order, t]);

  // Saves refused while the window was locked go out once someone is logged in again.
  const flushDrafts = draftSync.flush;
  useEffect(() => {
    if (user) flushDrafts();
  }, [user, flushDrafts]);

  // Drafts saved earlier (another screen, another start); what was typed before they arrive wins.
  useEffect(() => {
    let cancelled = false;
    client.call('inbox:drafts', {}).then(
      (saved) => {
        if (cancelled) return;
        setDrafts((typed) => new Map([...saved.map((draft) => [draft.documentId, fromFilingDraft(draft)] as const), ...typed]));
      },
      (reason: unknown) => !cancelled && setLoadError(errorText(t, reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [client, t]);

  useEffect(() => {
    client.call('customers:list', {}).then(setCustomers, () => undefined);
    client.call('documentTypes:list', {}).then(setDocumentTypes, () => undefined);
  }, [client]);

  // The current item stays the same document across reloads; a filed one hands over to the first open item.
  const currentIndex = useMemo(() => {
    if (!items || items.length === 0) return -1;
    const index = items.findIndex((item) => item.document.id === currentId);
    return index >= 0 ? index : 0;
  }, [items, currentId]);
  const current = currentIndex >= 0 ? items![currentIndex]! : null;
  const draftOf = useCallback((id: number) => drafts.get(id) ?? EMPTY_DRAFT, [drafts]);
  const accepted = items?.filter((item) => draftOf(item.document.id).accepted) ?? [];
  const listOrder = useMemo(() => (items ?? []).map((item) => item.document.id), [items]);
  const pickedItems = useMemo(() => {
    const byId = new Map((items ?? []).map((item) => [item.document.id, item]));
    return pickedInOrder(listOrder, picked).map((id) => byId.get(id)!);
  }, [items, listOrder, picked]);

  useEffect(() => {
    if (focusRequest > 0) form.current?.focusFirst();
  }, [focusRequest, current?.document.id]);

  const select = useCallback((id: number) => {
    setCurrentId(id);
    setErrors({});
    setFocusRequest((n) => n + 1);
  }, []);

  const currentDocumentId = current?.document.id ?? null;
  /** A click on a row: alone it shows the document; with Ctrl/Cmd or Shift it picks for batch filing. */
  const pick = useCallback(
    (id: number, keys: PickKeys) => {
      if (keys.range) setPicked(ranged(listOrder, currentDocumentId, id));
      else if (keys.toggle) setPicked((previous) => toggled(previous, currentDocumentId, id));
      else setPicked(new Set());
      select(id);
    },
    [listOrder, currentDocumentId, select],
  );

  const extendPick = (step: 1 | -1) => {
    const next = extended(listOrder, picked, currentDocumentId, step);
    setPicked(next.selected);
    if (next.current !== null && next.current !== currentDocumentId) select(next.current);
  };

  /** Space and Esc on the list itself (in a field they type). */
  const onListKey = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key === ' ' && currentDocumentId !== null) {
      event.preventDefault();
      setPicked((previous) => toggled(previous, null, currentDocumentId));
    } else if (event.key === 'Escape') {
      setPicked(new Set());
    }
  };

  const closeBatch = (done: BatchFiled | null) => {
    setBatchOpen(false);
    setFocusRequest((n) => n + 1);
    if (!done) return;
    const filedIds = new Set(done.filed);
    for (const id of filedIds) draftSync.forget(id);
    setDrafts((previous) => new Map([...previous].filter(([id]) => !filedIds.has(id))));
    setPicked(new Set());
    setOutcome({
      filed: done.result.outcomes.flatMap((entry) => (entry.ok ? [entry.archiveNo] : [])),
      failures: [
        ...done.notSent,
        ...done.result.outcomes.flatMap((entry) =>
          entry.ok ? [] : [{ archiveNo: entry.archiveNo ?? entry.ref, reason: errorText(t, { code: entry.code, message: entry.message }) }],
        ),
      ],
    });
  };

  const updateDraft = (id: number, change: (draft: Draft) => Draft) => {
    const next = change(drafts.get(id) ?? EMPTY_DRAFT);
    setDrafts((previous) => new Map(previous).set(id, next));
    draftSync.schedule(id, next);
  };

  const discardDraft = async () => {
    if (!current) return;
    const id = current.document.id;
    draftSync.forget(id);
    try {
      await client.call('inbox:discardDraft', { ref: id });
      setDrafts((previous) => new Map([...previous].filter(([documentId]) => documentId !== id)));
      setErrors({});
      setFocusRequest((n) => n + 1);
    } catch (reason) {
      setLoadError(errorText(t, reason));
    }
  };

  const chooseOrder = (next: InboxOrder) => {
    storeInboxOrder(next);
    setOrder(next);
  };

  const edit = (field: FilingField, value: string) => {
    if (!current) return;
    setErrors((previous) => ({ ...previous, [field]: undefined }));
    // Editing an accepted item takes it back until it is accepted again.
    updateDraft(current.document.id, (draft) => ({ ...draft, edits: { ...draft.edits, [field]: value }, accepted: false }));
  };

  /** A low-confidence suggestion confirmed: the cursor goes on to the next one still to confirm. */
  const confirm = (field: FilingField) => {
    if (!current) return;
    const next = confirmSuggestion(current, draftOf(current.document.id), field);
    updateDraft(current.document.id, () => next);
    setErrors((previous) => ({ ...previous, [field]: undefined }));
    const waiting = unconfirmedFields(current, next)[0];
    if (waiting) form.current?.focusField(waiting);
  };

  // The word layer keeps one handler; it calls the latest, which knows the current item and field.
  const pickLatest = useRef<(text: string) => void>(() => undefined);
  pickLatest.current = (text: string) => {
    if (!current) return;
    edit(focusedField, fieldTextOf(focusedField, text, documentTypes));
    form.current?.focusField(focusedField);
  };
  const pickText = useCallback((text: string) => pickLatest.current(text), []);

  const setOverride = (reason: string) => {
    if (!current) return;
    updateDraft(current.document.id, (draft) => ({ ...draft, override: reason, accepted: false }));
  };

  const accept = () => {
    if (!current || !items) return;
    const unconfirmed = unconfirmedFields(current, draftOf(current.document.id));
    if (unconfirmed.length > 0) {
      setErrors(Object.fromEntries(unconfirmed.map((field) => [field, t('inbox.form.confirmFirst')])));
      form.current?.focusField(unconfirmed[0]!);
      return;
    }
    const draft = signerResolved(current, typeResolved(draftOf(current.document.id), documentTypes), customers);
    const check = filingChanges(current, draft);
    if (!check.ok) {
      setErrors(fieldIssueWords(t, check.errors));
      return;
    }
    setErrors({});
    const acceptedDraft = { ...draft, accepted: true };
    const nextDrafts = new Map(drafts).set(current.document.id, acceptedDraft);
    setDrafts(nextDrafts);
    draftSync.schedule(current.document.id, acceptedDraft, true);
    const next = nextOpenIndex(items, nextDrafts, currentIndex);
    if (next !== null) select(items[next]!.document.id);
  };

  const fileAccepted = async () => {
    if (filing || accepted.length === 0) return;
    setFiling(true);
    const result: FileOutcome = { filed: [], failures: [] };
    const done = new Set<number>();
    for (const item of accepted) {
      const draft = draftOf(item.document.id);
      const check = filingChanges(item, draft);
      const override = draft.override?.trim();
      draftSync.forget(item.document.id);
      const unconfirmed = unconfirmedFields(item, draft);
      try {
        // A suggestion that arrived after the item was accepted (OCR run again) must be seen first too.
        if (unconfirmed.length > 0) {
          throw new Error(
            t('inbox.form.unconfirmedFiling', { fields: unconfirmed.map((field) => t(`doc.fields.${field}`)).join(t('inbox.form.listSeparator')) }),
          );
        }
        if (!check.ok)
          throw new Error(
            Object.values<FieldIssue>(check.errors)
              .map((issue) => fieldIssueText(t, issue))
              .join(' '),
          );
        await client.call('inbox:file', {
          ref: item.document.id,
          ...(check.changes ? { changes: check.changes } : {}),
          // The form already shows the suggestions the clerk kept; file exactly what was seen.
          acceptSuggestions: false,
          ...(override ? { filingOverride: override } : {}),
        });
        result.filed.push(item.document.archiveNo);
        done.add(item.document.id);
      } catch (reason) {
        result.failures.push({ archiveNo: item.document.archiveNo, reason: errorText(t, reason) });
      }
    }
    setDrafts((previous) => new Map([...previous].filter(([id]) => !done.has(id))));
    setOutcome(result);
    setFiling(false);
    setFocusRequest((n) => n + 1);
  };

  useHotkeys([{ combo: 'ctrl+enter', run: () => void fileAccepted() }], !batchOpen);
  // Batch filing (issue 19 item 6): Shift+↑/↓ pick while walking the list, Ctrl+Shift+Enter files what is picked.
  useHotkeys(
    [
      { combo: 'shift+arrowup', run: () => extendPick(-1) },
      { combo: 'shift+arrowdown', run: () => extendPick(1) },
      { combo: 'ctrl+shift+enter', run: () => pickedItems.length > 1 && setBatchOpen(true) },
    ],
    !batchOpen,
  );

  const currentDraft = current ? draftOf(current.document.id) : EMPTY_DRAFT;
  const highlighted = hoveredField ?? focusedField;
  const fieldBoxes = useMemo(() => {
    if (!current) return [];
    const unconfirmed = unconfirmedFields(current, currentDraft);
    return FILING_FIELDS.flatMap((field): FieldBox[] => {
      const box = sourceBoxOf(current, currentDraft, field);
      return box ? [{ field, box, unconfirmed: unconfirmed.includes(field), highlighted: field === highlighted }] : [];
    });
  }, [current, currentDraft, highlighted]);

  // The same elements on every draw, so that typing in the form does not draw the capture panels again.
  const capture = useMemo(
    () => (
      <>
        <div className="inbox-capture">
          <section>
            <Typography.Text strong>{t('inbox.import.title')}</Typography.Text>
            <ImportPanel dropped={dropped} takeDropped={takeDropped} />
          </section>
          <section>
            <Typography.Text strong>{t('inbox.scan.title')}</Typography.Text>
            <ScanPanel />
          </section>
          <section>
            <Typography.Text strong>{t('inbox.hotFolder.title')}</Typography.Text>
            <HotFolderPanel />
          </section>
        </div>
        <JobsPanel />
      </>
    ),
    [dropped, takeDropped, t],
  );

  return (
    <div className="screen inbox-screen">
      <Typography.Title level={5}>{t('inbox.title')}</Typography.Title>
      {capture}
      {loadError ? <Alert type="error" showIcon title={loadError} /> : null}
      {outcome ? (
        <Alert
          className="file-outcome"
          type={outcome.failures.length === 0 ? 'success' : 'warning'}
          showIcon
          closable
          onClose={() => setOutcome(null)}
          title={t('inbox.filed', { filed: outcome.filed.length, failed: outcome.failures.length })}
          description={
            outcome.failures.length > 0 ? (
              <ul>
                {outcome.failures.map((failure) => (
                  <li key={failure.archiveNo}>
                    <b className="mono">{failure.archiveNo}</b>: {failure.reason}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      ) : null}
      <div className="inbox-toolbar">
        <Typography.Text type="secondary">{t('inbox.count', { count: items?.length ?? 0, accepted: accepted.length })}</Typography.Text>
        <Segmented<InboxOrder>
          className="inbox-order"
          value={order}
          onChange={chooseOrder}
          options={INBOX_ORDERS.map((value) => ({ value, label: t(`inboxDrafts.order.${value}`) }))}
        />
        <Typography.Text type="secondary" className="draft-state" data-draft-state={draftSync.state}>
          {draftSync.state === 'idle' ? null : t(`inboxDrafts.state.${draftSync.state}`)}
        </Typography.Text>
        <span className="header-spacer" />
        <Button className="discard-draft" disabled={!current || !drafts.has(current.document.id)} onClick={() => void discardDraft()}>
          {t('inboxDrafts.discard')}
        </Button>
        <Tooltip title="Enter">
          <Button disabled={!current} onClick={accept}>
            {t('inbox.accept')}
          </Button>
        </Tooltip>
        {pickedItems.length > 1 ? (
          <Tooltip title="Ctrl+Shift+Enter">
            <Button className="file-selected" onClick={() => setBatchOpen(true)}>
              {t('inboxBatch.button', { count: pickedItems.length })}
            </Button>
          </Tooltip>
        ) : null}
        <Tooltip title="Ctrl+Enter">
          <Button type="primary" className="file-accepted" disabled={accepted.length === 0} loading={filing} onClick={() => void fileAccepted()}>
            {t('inbox.fileAccepted', { count: accepted.length })}
          </Button>
        </Tooltip>
      </div>
      {items && items.length === 0 ? (
        <Empty className="inbox-empty" description={t('inbox.empty')} />
      ) : (
        <div className="inbox-body">
          <ul className="inbox-list" aria-label={t('inbox.title')} aria-multiselectable tabIndex={0} onKeyDown={onListKey}>
            {(items ?? []).map((item) => (
              <InboxListItem
                key={item.document.id}
                item={item}
                current={item === current}
                accepted={draftOf(item.document.id).accepted}
                selected={picked.has(item.document.id)}
                onSelect={pick}
              />
            ))}
          </ul>
          {current ? <InboxPage item={current} boxes={fieldBoxes} onPick={pickText} /> : null}
          <div className="inbox-detail">
            {current ? (
              <>
                {current.warnings.map((warning) => (
                  <Alert
                    key={warning.text}
                    className="duplicate-alert"
                    type="warning"
                    showIcon
                    title={t('inbox.duplicateDetail', { warning: coreMessageText(t, warning) })}
                  />
                ))}
                {current.failedPages.map((page) => (
                  <Alert key={page.pageId} type="error" showIcon title={t('inbox.ocr.pageFailed', { pageId: page.pageId, error: page.error })} />
                ))}
                <SignatureStatus documentId={current.document.id} version={current.document.currentVersion} onResult={setSigned} />
                <FilingForm
                  ref={form}
                  item={current}
                  draft={draftOf(current.document.id)}
                  errors={errors}
                  customers={customers}
                  documentTypes={documentTypes}
                  signed={signed}
                  onEdit={edit}
                  onOverride={setOverride}
                  onAccept={accept}
                  onConfirm={confirm}
                  onFieldFocus={setFocusedField}
                  onFieldHover={setHoveredField}
                />
                <Typography.Text type="secondary" className="inbox-keys">
                  {t('inbox.keys')}
                </Typography.Text>
              </>
            ) : null}
          </div>
        </div>
      )}
      {batchOpen ? <BatchFileDialog items={pickedItems} draftOf={draftOf} customers={customers} documentTypes={documentTypes} onClose={closeBatch} /> : null}
    </div>
  );
}
