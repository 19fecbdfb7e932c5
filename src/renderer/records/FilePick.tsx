/**
 * Choose files in a form without sending them yet: the form's call hands them to the host when it is
 * submitted (`uploadAll`), since in the preview host an upload serves one call only. Disabled where the
 * window cannot hand files over at all.
 */
import { PaperClipOutlined } from '@ant-design/icons';
import { Button, Space, Tag, Upload } from 'antd';
import { useApp } from '../context';

export function FilePick({
  id,
  files,
  onChange,
  accept,
  multiple = false,
  label,
}: {
  id: string;
  files: File[];
  onChange: (files: File[]) => void;
  accept: string;
  multiple?: boolean;
  label: string;
}) {
  const { platform } = useApp();
  return (
    <Space wrap>
      <Upload
        accept={accept}
        multiple={multiple}
        showUploadList={false}
        disabled={!platform.uploadFile}
        beforeUpload={(chosen, batch) => {
          // antd calls this once per file of a batch: take the batch once, on its first file.
          if (chosen === batch[0]) onChange(multiple ? [...files, ...batch] : [chosen]);
          return false;
        }}
      >
        <Button id={id} icon={<PaperClipOutlined />} disabled={!platform.uploadFile}>
          {label}
        </Button>
      </Upload>
      {files.map((file, index) => (
        <Tag key={`${file.name}-${index}`} closable onClose={() => onChange(files.filter((_, at) => at !== index))} className="picked-file">
          {file.name}
        </Tag>
      ))}
    </Space>
  );
}

/** The host paths of the chosen files, handed over now, in order (files can only be chosen where the window can upload). */
export function uploadAll(upload: ((file: File) => Promise<string>) | undefined, files: File[]): Promise<string[]> {
  return Promise.all(files.map((file) => upload!(file)));
}
