/**
 * The keyboard shortcuts: a dialog on `?` (outside text fields) and the same table in Settings, both from
 * shortcuts.ts.
 */
import { Modal, Table, Typography } from 'antd';
import { useContext, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isTypingTarget } from './document/viewer-keys';
import { ScreenCountContext, shortcutGroups } from './shortcuts';

interface Row {
  id: string;
  where: string;
  keys: string[];
  what: string;
}

export function ShortcutTable() {
  const { t } = useTranslation();
  const screens = useContext(ScreenCountContext);
  const rows: Row[] = shortcutGroups(screens).flatMap((group) =>
    group.shortcuts.map((shortcut) => ({ id: `${group.where}-${shortcut.what}`, where: t(group.where), keys: shortcut.keys, what: t(shortcut.what) })),
  );
  return (
    <Table<Row>
      className="shortcut-table"
      size="small"
      pagination={false}
      rowKey="id"
      dataSource={rows}
      columns={[
        { title: t('keys.columns.where'), dataIndex: 'where', width: 140 },
        {
          title: t('keys.columns.keys'),
          dataIndex: 'keys',
          width: 200,
          render: (keys: string[]) =>
            keys.map((key, index) => (
              <span key={key}>
                {index > 0 ? ` ${t('keys.or')} ` : null}
                <kbd>{key}</kbd>
              </span>
            )),
        },
        { title: t('keys.columns.what'), dataIndex: 'what' },
      ]}
    />
  );
}

/** `?` outside a text field opens the list; Esc or the button closes it. */
export function ShortcutHelp({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      event.preventDefault();
      setOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
  return (
    <Modal open={open} title={t('keys.title')} footer={null} onCancel={() => setOpen(false)} width={720} rootClassName="shortcut-help" destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('keys.intro')}</Typography.Paragraph>
      <ShortcutTable />
    </Modal>
  );
}
