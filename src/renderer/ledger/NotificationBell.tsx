/**
 * The header's bell: the unread count of the user's reminders, refreshed when 'notifications:new' arrives; the
 * list opens on click, and a reminder is one click to its slip in the ledger list (and marked read).
 */
import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Popover, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppNotification } from '../../shared/model';
import { useApp } from '../context';
import { openLedgerList } from './ledger-nav';
import './ledger.css';

const SHOWN = 30;

export function NotificationBell({ navigate }: { navigate: (key: string) => void }) {
  const { t } = useTranslation();
  const { platform, user, revision } = useApp();
  const client = platform.client;
  const [items, setItems] = useState<AppNotification[]>([]);
  const [open, setOpen] = useState(false);

  const load = useCallback(() => {
    client.call('notifications:list', { limit: SHOWN }).then(setItems, () => undefined);
  }, [client]);

  useEffect(() => {
    if (user) load();
  }, [user, revision, load]);
  useEffect(() => client.on('notifications:new', load), [client, load]);

  if (!user) return null;
  const unread = items.filter((item) => item.readAt === null);

  const openItem = async (item: AppNotification) => {
    setOpen(false);
    if (item.readAt === null) await client.call('notifications:markRead', { ids: [item.id] }).catch(() => undefined);
    load();
    openLedgerList(navigate, { text: item.slipNo });
  };
  const markAll = async () => {
    await client.call('notifications:markRead', { all: true }).catch(() => undefined);
    load();
  };

  const content = (
    <div className="notification-list">
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledgerUi.notifications.none')} />
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item.id} className={item.readAt === null ? 'notification unread' : 'notification'} onClick={() => void openItem(item)}>
              <Typography.Text strong={item.readAt === null}>
                {t(`ledgerUi.notifications.levels.${item.level}`, {
                  slip: item.slipNo,
                  customer: item.customer,
                  date: item.expectedBackDate,
                  count: item.daysOverdue,
                })}
              </Typography.Text>
            </li>
          ))}
        </ul>
      )}
      {unread.length > 0 ? (
        <Button type="link" onClick={() => void markAll()} className="mark-all-read">
          {t('ledgerUi.notifications.markAll')}
        </Button>
      ) : null}
    </div>
  );

  return (
    <Popover content={content} title={t('ledgerUi.notifications.title')} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight">
      <Badge count={unread.length} size="small" className="notification-bell">
        <Button icon={<BellOutlined />} aria-label={t('ledgerUi.notifications.title')} />
      </Badge>
    </Popover>
  );
}
