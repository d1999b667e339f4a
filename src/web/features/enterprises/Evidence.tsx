/** Evidence files (佐证材料) of a figure or a review: an upload control for forms and a download link. */
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { uploadFile } from '../parks/api';
import { fileContentUrl } from './api';

const MAX_BYTES = 20 * 1024 * 1024;
const ACCEPT = '.pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx';

/**
 * One optional file, uploaded at once through POST /api/v1/files; the form value is its id (or null). `onBusy`
 * tells the form to hold its submit button while the upload runs.
 */
export function EvidenceUpload({
  value: _value,
  onChange,
  onBusy,
  testId = 'evidence-upload',
}: {
  value?: string | null;
  onChange?: (id: string | null) => void;
  onBusy?: (busy: boolean) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [list, setList] = useState<UploadFile[]>([]);
  return (
    <Upload<{ id: string }>
      accept={ACCEPT}
      maxCount={1}
      fileList={list}
      onChange={({ fileList }) => {
        setList(fileList);
        const f = fileList[0];
        onBusy?.(f?.status === 'uploading');
        onChange?.(f?.status === 'done' ? (f.response?.id ?? null) : null);
      }}
      onRemove={() => {
        onChange?.(null);
        return true;
      }}
      beforeUpload={(f) => {
        if (f.size > MAX_BYTES) {
          void message.error(t('enterprises.evidence.tooLarge'));
          return Upload.LIST_IGNORE;
        }
        return true;
      }}
      customRequest={({ file, onSuccess, onError }) => {
        uploadFile<{ id: string }>('/files', file as File)
          .then((r) => onSuccess?.(r))
          .catch((e: Error) => {
            void message.error(e.message);
            onError?.(e);
          });
      }}
      data-testid={testId}
    >
      <Button icon={<UploadOutlined />}>{t('enterprises.evidence.upload')}</Button>
    </Upload>
  );
}

/** A download link to an evidence file (the server checks scope and sends it as an attachment). */
export function EvidenceLink({ fileId }: { fileId: string | null | undefined }) {
  const { t } = useTranslation();
  if (!fileId) return null;
  return (
    <a href={fileContentUrl(fileId)} download data-testid="evidence-link">
      <PaperClipOutlined /> {t('enterprises.evidence.download')}
    </a>
  );
}
