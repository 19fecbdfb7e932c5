/**
 * The audit trail: who did what, when, to which document. Filters by user, action (or a family of actions),
 * document and a range of days; the events, newest first, in a virtualised list over any number of them;
 * the filtered events exported as CSV (UTF-8 with a byte order mark, so Excel shows Chinese).
 */
import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Form, Input, Select, Space, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditFilters } from '../../shared/audit-view';
import { useApp } from '../context';
import { errorText } from '../format';
import { AuditTable } from './AuditTable';
import { ACTION_FAMILIES, KNOWN_ACTIONS, actionText } from './event-text';
import { EMPTY_FILTERS, checkFilters, exportFileName, type FilterDraft, type FilterField } from './filters';
import { saveFile } from './save-file';

export function AuditScreen() {
  const { t } = useTranslation();
  const { platform } = useApp();
  const { message } = App.useApp();
  const [draft, setDraft] = useState<FilterDraft>(EMPTY_FILTERS);
  const [applied, setApplied] = useState<AuditFilters>({});
  // Every "Show" loads the newest events again, even with the same filters.
  const [shown, setShown] = useState(0);
  const [invalid, setInvalid] = useState<FilterField[]>([]);
  const [exporting, setExporting] = useState(false);
  // The day range picker keeps its own value; clearing the filters mounts a fresh one.
  const [rangeKey, setRangeKey] = useState(0);

  const actionOptions = useMemo(
    () => [
      {
        label: t('audit.families'),
        options: ACTION_FAMILIES.map((family) => ({ value: `${family}.*`, label: t(`audit.family.${family}`) })),
      },
      { label: t('audit.actionsGroup'), options: KNOWN_ACTIONS.map((action) => ({ value: action, label: actionText(t, action) })) },
    ],
    [t],
  );

  const apply = (next: FilterDraft = draft) => {
    const check = checkFilters(next);
    if (!check.ok) {
      setInvalid(check.invalid);
      return;
    }
    setInvalid([]);
    setApplied(check.filters);
    setShown((count) => count + 1);
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const exported = await platform.client.call('audit:export', { filters: applied });
      saveFile(new Blob([exported.csv], { type: 'text/csv;charset=utf-8' }), exportFileName(new Date()));
      void message.success(t('audit.exported', { count: exported.rows }));
    } catch (reason) {
      void message.error(errorText(t, reason));
    } finally {
      setExporting(false);
    }
  };

  const fieldStatus = (field: FilterField) => (invalid.includes(field) ? { validateStatus: 'error' as const, help: t(`audit.invalid.${field}`) } : {});
  const update = (change: Partial<FilterDraft>) => setDraft((previous) => ({ ...previous, ...change }));

  return (
    <div className="screen audit-screen">
      <Space className="screen-toolbar" wrap>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('audit.title')}
        </Typography.Title>
      </Space>
      <Form layout="inline" className="audit-filters" onFinish={() => apply()}>
        <Form.Item label={t('audit.filter.user')} {...fieldStatus('user')}>
          <Input
            value={draft.user}
            onChange={(event) => update({ user: event.target.value })}
            allowClear
            style={{ width: 140 }}
            aria-label={t('audit.filter.user')}
          />
        </Form.Item>
        <Form.Item label={t('audit.filter.action')} {...fieldStatus('action')}>
          <Select
            value={draft.action}
            onChange={(action: string | undefined) => update({ action: action ?? null })}
            options={actionOptions}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('audit.filter.anyAction')}
            popupMatchSelectWidth={false}
            style={{ width: 220 }}
            aria-label={t('audit.filter.action')}
          />
        </Form.Item>
        <Form.Item label={t('audit.filter.document')} {...fieldStatus('document')}>
          <Input
            value={draft.document}
            onChange={(event) => update({ document: event.target.value })}
            placeholder="SV-2026-000123"
            allowClear
            style={{ width: 160 }}
            aria-label={t('audit.filter.document')}
          />
        </Form.Item>
        <Form.Item label={t('audit.filter.days')} {...fieldStatus('range')}>
          <DatePicker.RangePicker
            key={rangeKey}
            allowEmpty={[true, true]}
            onChange={(_, days) => update({ from: days[0] || null, to: days[1] || null })}
            aria-label={t('audit.filter.days')}
          />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} className="audit-apply">
              {t('audit.apply')}
            </Button>
            <Button
              onClick={() => {
                setDraft(EMPTY_FILTERS);
                setRangeKey((key) => key + 1);
                apply(EMPTY_FILTERS);
              }}
            >
              {t('audit.clear')}
            </Button>
            <Tooltip title={t('audit.exportHint')}>
              <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportCsv()} className="audit-export">
                {t('audit.export')}
              </Button>
            </Tooltip>
          </Space>
        </Form.Item>
      </Form>
      <AuditTable filters={applied} reloadKey={shown} />
    </div>
  );
}
