import { DeleteOutlined, DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Drawer,
  Empty,
  Flex,
  Input,
  List,
  Modal,
  Row,
  Statistic,
  Table,
  type TableColumnsType,
  Tabs,
  Typography,
  Upload,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../app/api';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { usePagedList } from '../../components/usePagedList';
import { useDistricts } from '../enterprises/api';
import { downloadFile, type ImportRowError, importRowsOf, uploadFile } from '../parks/api';

/** Row errors of an IMPORT_ROWS_INVALID answer (`details.errors`, or `details.rows` as the parks import has it). */
function rowErrorsOf(e: unknown): ImportRowError[] {
  if (isApiError(e) && e.code === 'IMPORT_ROWS_INVALID') {
    const errors = (e.details as { errors?: unknown } | null)?.errors;
    if (Array.isArray(errors)) return errors as ImportRowError[];
  }
  return importRowsOf(e) ?? [];
}

import {
  assistanceKey,
  type Coverage,
  firmOf,
  type Group,
  type Pairing,
  pct,
  useCoverage,
  useGroup,
  useGroups,
} from './api';
import { ExportButton } from './ui';

function GroupsTab() {
  const { t } = useTranslation();
  const groups = useGroups();
  const [openId, setOpenId] = useState<string | null>(null);
  const group = useGroup(openId);
  const districts = useDistricts();
  const regionName = (code?: string) => districts.data?.items.find((d) => d.code === code)?.name;
  const columns: TableColumnsType<Group> = [
    {
      title: t('assistance.groups.name'),
      dataIndex: 'name',
      key: 'name',
      render: (name: string, g) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => setOpenId(g.id)}>
          {name}
        </Button>
      ),
    },
    {
      title: t('assistance.groups.region'),
      key: 'region',
      render: (_: unknown, g) => regionName(g.regionCode) ?? g.regionName ?? g.regionCode,
    },
    { title: t('assistance.groups.leader'), dataIndex: 'leaderName', key: 'leader' },
    { title: t('assistance.groups.members'), dataIndex: 'cadres', key: 'members', align: 'right' },
    { title: t('assistance.groups.pairings'), dataIndex: 'pairings', key: 'pairings', align: 'right' },
  ];
  return (
    <>
      {groups.error ? <QueryError error={groups.error} onRetry={() => void groups.refetch()} /> : null}
      <Table<Group>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={groups.data?.items ?? []}
        loading={groups.isLoading}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { count: n }) }}
        locale={{ emptyText: <Empty description={t('assistance.groups.empty')} /> }}
        data-testid="groups-table"
      />
      <Drawer open={!!openId} onClose={() => setOpenId(null)} title={group.data?.name} size={480}>
        {group.error ? <QueryError error={group.error} /> : null}
        {group.data ? (
          <>
            <Typography.Paragraph>
              {t('assistance.groups.leader')}：{group.data.leaderName ?? '—'}
            </Typography.Paragraph>
            <List
              size="small"
              header={t('assistance.groups.members')}
              dataSource={group.data.members ?? []}
              renderItem={(m) => (
                <List.Item>
                  <span>
                    {m.name} <Typography.Text type="secondary">{m.org ?? ''}</Typography.Text>
                  </span>
                  <Typography.Text type="secondary">
                    {t('assistance.groups.memberPairings', { count: m.pairings ?? 0 })}
                  </Typography.Text>
                </List.Item>
              )}
            />
          </>
        ) : null}
      </Drawer>
    </>
  );
}

function ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<ImportRowError[]>([]);
  const close = () => {
    setFile(null);
    setError(null);
    setRows([]);
    onClose();
  };
  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setRows([]);
    try {
      const r = await uploadFile<{ imported?: number; unchanged?: number }>('/assistance/pairings/import', file);
      void message.success(
        r.unchanged
          ? t('assistance.pairings.importedUnchanged', { count: r.imported ?? 0, unchanged: r.unchanged })
          : t('assistance.pairings.imported', { count: r.imported ?? 0 }),
      );
      void queryClient.invalidateQueries({ queryKey: ['assistance-pairings'] });
      void queryClient.invalidateQueries({ queryKey: assistanceKey });
      close();
    } catch (e) {
      setError(e instanceof Error ? e.message : t('errors.unknown'));
      setRows(rowErrorsOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('assistance.pairings.import')}
      onCancel={close}
      width={720}
      destroyOnHidden
      footer={[
        <Button key="c" onClick={close}>
          {t('common.close')}
        </Button>,
        <Button
          key="s"
          type="primary"
          disabled={!file}
          loading={busy}
          onClick={() => void submit()}
          data-testid="pairings-import-submit"
        >
          {t('assistance.pairings.importSubmit')}
        </Button>,
      ]}
    >
      <Flex vertical gap={12}>
        <Typography.Text>{t('assistance.pairings.importIntro')}</Typography.Text>
        <Button
          icon={<DownloadOutlined />}
          style={{ alignSelf: 'start' }}
          onClick={() =>
            void downloadFile('/assistance/pairings/template.xlsx', undefined, 'pairings-template.xlsx').catch(
              (e: Error) => message.error(e.message),
            )
          }
        >
          {t('assistance.pairings.template')}
        </Button>
        <Upload.Dragger
          accept=".xlsx"
          maxCount={1}
          fileList={file ? [{ uid: 'f', name: file.name, status: 'done' }] : []}
          beforeUpload={(f) => {
            setFile(f);
            setError(null);
            setRows([]);
            return false;
          }}
          onRemove={() => setFile(null)}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{t('assistance.pairings.drop')}</p>
        </Upload.Dragger>
        {error ? (
          <Alert
            type="error"
            showIcon
            title={error}
            description={rows.length ? t('assistance.pairings.nothingWritten') : undefined}
          />
        ) : null}
        {rows.length ? (
          <Table<ImportRowError>
            size="small"
            rowKey={(r) => `${r.row}-${r.column}-${r.message}`}
            dataSource={rows}
            pagination={{ pageSize: 10 }}
            columns={[
              { title: t('assistance.pairings.row'), dataIndex: 'row', key: 'row', width: 72 },
              { title: t('assistance.pairings.column'), dataIndex: 'column', key: 'column', width: 140 },
              { title: t('assistance.pairings.error'), dataIndex: 'message', key: 'message' },
            ]}
            data-testid="pairings-import-errors"
          />
        ) : null}
      </Flex>
    </Modal>
  );
}

function PairingsTab() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const list = usePagedList<Pairing>({ key: 'assistance-pairings', path: '/assistance/pairings' });
  const [importOpen, setImportOpen] = useState(false);
  const remove = useApiMutation((id: string) => api.delete(`/assistance/pairings/${id}`), {
    onSuccess: () => {
      void message.success(t('assistance.pairings.deleted'));
      void queryClient.invalidateQueries({ queryKey: ['assistance-pairings'] });
    },
  });
  const columns: TableColumnsType<Pairing> = [
    { title: t('assistance.pairings.cadre'), dataIndex: 'cadreName', key: 'cadre' },
    { title: t('assistance.pairings.cadreOrg'), dataIndex: 'cadreOrg', key: 'cadreOrg' },
    { title: t('assistance.fields.enterprise'), key: 'enterprise', render: (_: unknown, p) => firmOf(p) },
    { title: t('assistance.groups.name'), dataIndex: 'groupName', key: 'group' },
    {
      title: t('assistance.pairings.from'),
      dataIndex: 'fromOn',
      key: 'from',
      render: (v?: string) => v?.slice(0, 10) ?? '—',
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, p) => (
        <Button
          type="link"
          danger
          icon={<DeleteOutlined />}
          onClick={() =>
            modal.confirm({
              title: t('assistance.pairings.deleteTitle'),
              content: t('assistance.pairings.deleteConfirm', {
                cadre: p.cadreName ?? '',
                enterprise: firmOf(p),
              }),
              okText: t('assistance.pairings.delete'),
              okButtonProps: { danger: true },
              cancelText: t('common.cancel'),
              onOk: () => remove.mutateAsync(p.id).catch(() => undefined),
            })
          }
        >
          {t('assistance.pairings.delete')}
        </Button>
      ),
    },
  ];
  return (
    <>
      <Flex gap={8} wrap justify="space-between" style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          style={{ width: 280 }}
          placeholder={t('assistance.pairings.search')}
          onSearch={(q) => list.setFilters({ ...list.state.filters, q })}
        />
        <Flex gap={8} wrap>
          <ExportButton
            path="/assistance/pairings/export"
            params={list.params}
            fallbackName="pairings.xlsx"
            testId="pairings-export"
          />
          <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="pairings-import">
            {t('assistance.pairings.import')}
          </Button>
        </Flex>
      </Flex>
      {list.query.error ? <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} /> : null}
      <Table<Pairing>
        rowKey="id"
        size="small"
        columns={columns}
        {...list.tableProps}
        locale={{ emptyText: <Empty description={t('assistance.pairings.empty')} /> }}
      />
      <ImportModal open={importOpen} onClose={() => setImportOpen(false)} />
    </>
  );
}

function CoverageTab() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const coverage = useCoverage({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') });
  const c = coverage.data;
  const stats: [string, string | number][] = c
    ? [
        [t('assistance.coverage.inScope'), c.enterprisesInScope],
        [t('assistance.coverage.paired'), c.paired],
        [t('assistance.coverage.rate'), pct(c.coverageRate)],
        [t('assistance.coverage.cadres'), c.cadres],
        [t('assistance.coverage.visits'), c.visits],
        [t('assistance.coverage.symposia'), c.symposia],
      ]
    : [];
  return (
    <>
      <DatePicker.RangePicker
        allowEmpty={[true, true]}
        value={range}
        onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)}
        style={{ marginBottom: 12 }}
      />
      {coverage.error ? <QueryError error={coverage.error} onRetry={() => void coverage.refetch()} /> : null}
      <Row gutter={[12, 12]}>
        {stats.map(([label, value]) => (
          <Col key={label} xs={12} md={8} lg={4}>
            <Card size="small">
              <Statistic title={label} value={value} groupSeparator="," />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" style={{ marginTop: 12 }} title={t('assistance.coverage.withoutVisit')}>
        <Table<Coverage['cadresWithoutVisit'][number]>
          rowKey="cadreId"
          size="small"
          loading={coverage.isLoading}
          dataSource={c?.cadresWithoutVisit ?? []}
          pagination={{ pageSize: 20 }}
          locale={{ emptyText: <Empty description={t('assistance.coverage.allVisited')} /> }}
          columns={[
            { title: t('assistance.pairings.cadre'), dataIndex: 'name', key: 'name' },
            { title: t('assistance.pairings.cadreOrg'), dataIndex: 'org', key: 'org' },
            {
              title: t('assistance.coverage.reason'),
              dataIndex: 'reason',
              key: 'reason',
              render: (r?: string | null) =>
                r || <Typography.Text type="secondary">{t('assistance.coverage.noReason')}</Typography.Text>,
            },
          ]}
        />
      </Card>
    </>
  );
}

/** 工作组与包联: work groups, cadre ↔ enterprise pairings (search, Excel import, delete) and coverage. */
export default function GroupsPage() {
  const { t } = useTranslation();
  return (
    <PageContainer title={t('assistance.groups.title')}>
      <Tabs
        items={[
          { key: 'groups', label: t('assistance.groups.tab'), children: <GroupsTab /> },
          { key: 'pairings', label: t('assistance.pairings.tab'), children: <PairingsTab /> },
          { key: 'coverage', label: t('assistance.coverage.tab'), children: <CoverageTab /> },
        ]}
      />
    </PageContainer>
  );
}
