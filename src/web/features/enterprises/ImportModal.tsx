import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Modal, Progress, Space, Table, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../app/api';
import { downloadFile } from '../parks/api';
import { enterprisesKey, type ImportRowError, uploadImport, useJob } from './api';

const MAX_BYTES = 20 * 1024 * 1024;

interface FailedResult {
  errors?: ImportRowError[];
  errorCount?: number;
}

/**
 * Excel import as a background job: template, upload (one Idempotency-Key per chosen file, so a retried upload
 * of the same choice creates nothing twice), then the job's progress; all rows or none.
 */
export function ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const status = job.data?.status;

  useEffect(() => {
    if (status === 'succeeded') void queryClient.invalidateQueries({ queryKey: enterprisesKey });
  }, [status, queryClient]);

  const reset = () => {
    setFile(null);
    setError(null);
    setJobId(null);
  };

  const close = () => {
    reset();
    onClose();
  };

  const template = async () => {
    try {
      await downloadFile('/enterprises/import-template', undefined, 'template.xlsx');
    } catch (e) {
      void message.error(e instanceof Error ? e.message : t('errors.unknown'));
    }
  };

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setJobId(null);
    try {
      const r = await uploadImport(file, key);
      setJobId(r.jobId);
    } catch (e) {
      setError(e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };

  const running = !!jobId && (!status || status === 'queued' || status === 'running');
  const failed = status === 'failed' ? ((job.data?.result ?? {}) as FailedResult) : null;
  const succeeded = status === 'succeeded' ? ((job.data?.result ?? {}) as { rows?: number; created?: number }) : null;
  const rows = failed?.errors ?? [];

  return (
    <Modal
      open={open}
      title={t('enterprises.import.title')}
      onCancel={close}
      width={760}
      footer={[
        <Button key="close" onClick={close}>
          {t('common.close')}
        </Button>,
        <Button
          key="submit"
          type="primary"
          disabled={!file || running}
          loading={busy || running}
          onClick={() => void submit()}
          data-testid="import-submit"
        >
          {t('enterprises.import.submit')}
        </Button>,
      ]}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        <Typography.Paragraph style={{ marginBottom: 0 }}>{t('enterprises.import.intro')}</Typography.Paragraph>
        <Button icon={<DownloadOutlined />} onClick={() => void template()} data-testid="import-template">
          {t('enterprises.import.template')}
        </Button>
        <Upload.Dragger
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          maxCount={1}
          multiple={false}
          disabled={running}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done', size: file.size, type: file.type }] : []}
          beforeUpload={(f) => {
            reset();
            if (f.size > MAX_BYTES) {
              setError(t('enterprises.import.tooLarge'));
              return Upload.LIST_IGNORE;
            }
            setFile(f);
            // a new file chosen is a new request; re-submitting the same choice reuses the key
            setKey(newIdempotencyKey());
            return false;
          }}
          onRemove={() => setFile(null)}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('enterprises.import.drop')}</p>
          <p className="ant-upload-hint">{t('enterprises.import.hint')}</p>
        </Upload.Dragger>
        {jobId && job.data ? (
          <div data-testid="import-progress">
            <Progress
              percent={Math.round(job.data.progress ?? 0)}
              status={status === 'failed' ? 'exception' : status === 'succeeded' ? 'success' : 'active'}
            />
            {running && job.data.message ? (
              <Typography.Text type="secondary">{job.data.message}</Typography.Text>
            ) : null}
          </div>
        ) : running ? (
          <Progress percent={0} status="active" />
        ) : null}
        {job.isError ? <Alert type="error" showIcon title={job.error.message} /> : null}
        {succeeded ? (
          <Alert
            type="success"
            showIcon
            data-testid="import-done"
            title={t('enterprises.import.done', { count: succeeded.created ?? succeeded.rows ?? 0 })}
          />
        ) : null}
        {error ? <Alert type="error" showIcon title={error} /> : null}
        {failed ? (
          <div data-testid="import-errors">
            <Alert
              type="error"
              showIcon
              title={t('enterprises.import.failed', { count: failed.errorCount ?? rows.length })}
              description={t('enterprises.import.nothingWritten')}
              style={{ marginBottom: 12 }}
            />
            {rows.length ? (
              <Table<ImportRowError>
                size="small"
                rowKey={(r) => `${r.row}|${r.column}|${r.message}`}
                dataSource={rows}
                pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
                scroll={{ x: 'max-content' }}
                columns={[
                  { title: t('enterprises.import.row'), dataIndex: 'row', key: 'row', align: 'right' },
                  { title: t('enterprises.import.column'), dataIndex: 'column', key: 'column' },
                  { title: t('enterprises.import.message'), dataIndex: 'message', key: 'message' },
                ]}
              />
            ) : null}
          </div>
        ) : null}
      </Space>
    </Modal>
  );
}
