import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Modal, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadFile, type ImportRowError, importRowsOf, parksKey, uploadFile } from './api';

const MAX_BYTES = 20 * 1024 * 1024;

/** Excel import: download the template, upload a filled-in file; all rows or none (row errors listed). */
export function ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [rows, setRows] = useState<ImportRowError[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ parks: number; milestones: number } | null>(null);

  const reset = () => {
    setFile(null);
    setRows(null);
    setError(null);
    setResult(null);
  };

  const close = () => {
    reset();
    onClose();
  };

  const template = async () => {
    try {
      await downloadFile('/parks/import-template', undefined, 'template.xlsx');
    } catch (e) {
      void message.error(e instanceof Error ? e.message : t('errors.unknown'));
    }
  };

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setRows(null);
    setError(null);
    setResult(null);
    try {
      const r = await uploadFile<{ parks: number; milestones: number }>('/parks/import', file);
      setResult(r);
      setFile(null);
      await queryClient.invalidateQueries({ queryKey: parksKey });
      void message.success(t('parks.import.done', { parks: r.parks, milestones: r.milestones }));
    } catch (e) {
      const rowErrors = importRowsOf(e);
      if (rowErrors) setRows(rowErrors);
      else setError(e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('parks.import.title')}
      onCancel={close}
      width={760}
      footer={[
        <Button key="close" onClick={close}>
          {t('common.close')}
        </Button>,
        <Button
          key="submit"
          type="primary"
          disabled={!file}
          loading={busy}
          onClick={() => void submit()}
          data-testid="import-submit"
        >
          {t('parks.import.submit')}
        </Button>,
      ]}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        <Typography.Paragraph style={{ marginBottom: 0 }}>{t('parks.import.intro')}</Typography.Paragraph>
        <Button icon={<DownloadOutlined />} onClick={() => void template()} data-testid="import-template">
          {t('parks.import.template')}
        </Button>
        <Upload.Dragger
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          maxCount={1}
          multiple={false}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done', size: file.size, type: file.type }] : []}
          beforeUpload={(f) => {
            reset();
            if (f.size > MAX_BYTES) {
              setError(t('parks.import.tooLarge'));
              return Upload.LIST_IGNORE;
            }
            setFile(f);
            return false;
          }}
          onRemove={() => setFile(null)}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('parks.import.drop')}</p>
          <p className="ant-upload-hint">{t('parks.import.hint')}</p>
        </Upload.Dragger>
        {result ? (
          <Alert
            type="success"
            showIcon
            title={t('parks.import.done', { parks: result.parks, milestones: result.milestones })}
          />
        ) : null}
        {error ? <Alert type="error" showIcon title={error} /> : null}
        {rows ? (
          <div data-testid="import-errors">
            <Alert
              type="error"
              showIcon
              title={t('parks.import.rowsInvalid', { count: rows.length })}
              description={t('parks.import.nothingWritten')}
              style={{ marginBottom: 12 }}
            />
            <Table<ImportRowError>
              size="small"
              rowKey={(r) => `${r.sheet}|${r.row}|${r.column}|${r.message}`}
              dataSource={rows}
              pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('parks.import.sheet'), dataIndex: 'sheet', key: 'sheet' },
                { title: t('parks.import.row'), dataIndex: 'row', key: 'row', align: 'right' },
                { title: t('parks.import.column'), dataIndex: 'column', key: 'column' },
                { title: t('parks.import.message'), dataIndex: 'message', key: 'message' },
              ]}
            />
          </div>
        ) : null}
      </Space>
    </Modal>
  );
}
