import { DownloadOutlined, FileExcelOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Modal, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueryParams } from '../../app/api';
import { downloadFile, type ImportRowError, importProjects, importRowErrors, projectsKey } from './api';

/** "Excel 导出": the list with the given filters as .xlsx. */
export function ExportButton({ filters }: { filters: QueryParams }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const onClick = async () => {
    setBusy(true);
    try {
      await downloadFile('/projects/export', filters, 'projects.xlsx');
    } catch (e) {
      void message.error(e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<FileExcelOutlined />} loading={busy} onClick={() => void onClick()} data-testid="projects-export">
      {t('projects.excel.export')}
    </Button>
  );
}

/** "导入": download the template, upload a filled one; all rows or none. */
export function ImportButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid="projects-import">
        {t('projects.excel.import')}
      </Button>
      {open ? <ImportModal onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function ImportModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [templateBusy, setTemplateBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<ImportRowError[]>([]);

  const template = async () => {
    setTemplateBusy(true);
    try {
      await downloadFile('/projects/import-template', undefined, 'template.xlsx');
    } catch (e) {
      void message.error(e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setTemplateBusy(false);
    }
  };

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setRows([]);
    try {
      const { created } = await importProjects(file);
      void message.success(t('projects.excel.imported', { count: created }));
      await queryClient.invalidateQueries({ queryKey: projectsKey });
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : t('errors.unknown'));
      setRows(importRowErrors(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('projects.excel.importTitle')}
      onCancel={onClose}
      width={720}
      okText={t('projects.excel.startImport')}
      cancelText={t('common.close')}
      okButtonProps={{ disabled: !file, loading: busy, 'data-testid': 'import-submit' }}
      onOk={() => void submit()}
      destroyOnHidden
    >
      <Flex vertical gap={16}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('projects.excel.importHint')}
        </Typography.Paragraph>
        <div>
          <Button icon={<DownloadOutlined />} loading={templateBusy} onClick={() => void template()}>
            {t('projects.excel.template')}
          </Button>
        </div>
        <Upload.Dragger
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setError(null);
            setRows([]);
            return false;
          }}
          onRemove={() => {
            setFile(null);
            return true;
          }}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
          data-testid="import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('projects.excel.dropHint')}</p>
        </Upload.Dragger>
        {error ? (
          <Alert
            type="error"
            showIcon
            title={t('projects.excel.importFailed')}
            description={
              <>
                <div>{error}</div>
                <div>{t('projects.excel.nothingWritten')}</div>
              </>
            }
            data-testid="import-error"
          />
        ) : null}
        {rows.length > 0 ? (
          <Table<ImportRowError & { key: number }>
            size="small"
            rowKey="key"
            dataSource={rows.map((r, i) => ({ ...r, key: i }))}
            pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
            scroll={{ x: 'max-content' }}
            data-testid="import-errors"
            columns={[
              { title: t('projects.excel.row'), dataIndex: 'row', key: 'row', width: 80 },
              {
                title: t('projects.excel.column'),
                dataIndex: 'column',
                key: 'column',
                render: (v: string) => v || '—',
              },
              { title: t('projects.excel.message'), dataIndex: 'message', key: 'message' },
            ]}
          />
        ) : null}
      </Flex>
    </Modal>
  );
}
