/**
 * A folder field as a desktop app has it (issue 19 item 7): the full path, typed or chosen with the system's
 * folder chooser. In Electron the shell shows the chooser and allows the folder chosen for this purpose; the
 * browser preview cannot open one (a page is never given a path it did not type), so there the field says
 * why and the path is typed — a folder under one the preview was started with (--folder-root).
 */
import { FolderOpenOutlined } from '@ant-design/icons';
import { Button, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FolderPurpose } from '../../shared/client';
import { useApp } from '../context';
import { errorText } from '../format';

interface FolderFieldProps {
  id: string;
  purpose: FolderPurpose;
  value: string;
  placeholder?: string;
  onChange: (path: string) => void;
}

export function FolderField({ id, purpose, value, placeholder, onChange }: FolderFieldProps) {
  const { t } = useTranslation();
  const { platform } = useApp();
  const [problem, setProblem] = useState<string | null>(null);
  const pickFolder = platform.pickFolder;

  const choose = async () => {
    if (!pickFolder) return;
    setProblem(null);
    try {
      const folder = await pickFolder(purpose);
      if (folder !== null) onChange(folder);
    } catch (reason) {
      setProblem(errorText(t, reason));
    }
  };

  return (
    <Space orientation="vertical" size={2} style={{ width: '100%' }} className="folder-field">
      <Space.Compact style={{ width: '100%' }}>
        <Input id={id} className="mono" value={value} placeholder={placeholder} onChange={(event) => onChange(event.target.value)} autoComplete="off" />
        {pickFolder ? (
          <Button className="choose-folder" icon={<FolderOpenOutlined />} onClick={() => void choose()}>
            {t('backupDesk.chooseFolder')}
          </Button>
        ) : null}
      </Space.Compact>
      {pickFolder ? null : (
        <Typography.Text type="secondary" className="folder-typed-hint">
          {t('backupDesk.previewFolder')}
        </Typography.Text>
      )}
      {problem ? <Typography.Text type="danger">{problem}</Typography.Text> : null}
    </Space>
  );
}
