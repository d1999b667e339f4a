import { DownloadOutlined, FileExcelOutlined, FilePdfOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Empty,
  Flex,
  Form,
  Grid,
  Modal,
  Progress,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { periodContaining, periodLabel, type ReportPeriod } from '../../../domain/reports.ts';
import { currentLanguage } from '../../app/i18n';
import { hasPermission, useMe } from '../../app/session';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { usePagedList } from '../../components/usePagedList';
import { isActive, progressStatus, useJob } from '../jobs/api';
import { downloadFile } from '../parks/api';
import {
  type GenerateAnswer,
  generateReport,
  type ReportFormat,
  type ReportItem,
  type ReportPeriodType,
  reportsKey,
  useReportRegions,
} from './api';

const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;
const lang = () => (currentLanguage() === 'en' ? 'en' : 'zh-CN');

function periodOf(item: Pick<ReportItem, 'periodType' | 'periodStart' | 'periodEnd'>): ReportPeriod {
  return { type: item.periodType, start: item.periodStart, end: item.periodEnd };
}

/** 报表中心: the archived weekly and monthly reports of the caller's regions; download; generate one now. */
export default function ReportsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const compact = Grid.useBreakpoint().md === false;
  const [periodType, setPeriodType] = useState<ReportPeriodType | undefined>();
  const [region, setRegion] = useState<string | undefined>();
  const [generating, setGenerating] = useState(false);
  const regions = useReportRegions();
  const list = usePagedList<ReportItem>({ key: 'reports', path: '/reports', pageSize: 20 });
  const { message } = App.useApp();
  const canGenerate = hasPermission(me.data, 'reports:generate');

  const download = async (item: ReportItem, format: ReportFormat) => {
    try {
      await downloadFile(`/reports/${item.id}/file`, { format }, `report.${format}`);
    } catch (e) {
      void message.error((e as Error).message);
    }
  };

  const typeTag = (type: ReportPeriodType) => (
    <Tag color={type === 'weekly' ? 'blue' : 'purple'}>{t(`reports.types.${type}`)}</Tag>
  );
  const titleOf = (r: ReportItem) =>
    lang() === 'en'
      ? t('reports.titleOf', {
          region: r.regionName,
          type: t(`reports.types.${r.periodType}`),
          period: periodLabel(periodOf(r), 'en'),
        })
      : r.title;
  const buttons = (r: ReportItem) => (
    <Space size={4} wrap>
      <Button
        size="small"
        icon={<FilePdfOutlined />}
        onClick={() => void download(r, 'pdf')}
        data-testid={`report-pdf-${r.id}`}
        aria-label={t('reports.downloadPdfOf', { title: titleOf(r) })}
      >
        PDF
      </Button>
      <Button
        size="small"
        icon={<FileExcelOutlined />}
        onClick={() => void download(r, 'xlsx')}
        data-testid={`report-xlsx-${r.id}`}
        aria-label={t('reports.downloadXlsxOf', { title: titleOf(r) })}
      >
        Excel
      </Button>
    </Space>
  );

  const columns: ColumnsType<ReportItem> = compact
    ? [
        {
          key: 'report',
          title: t('reports.columns.report'),
          render: (_, r) => (
            <Flex vertical gap={4}>
              <Typography.Text strong style={{ wordBreak: 'break-word' }}>
                {titleOf(r)}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {typeTag(r.periodType)}
                {r.periodStart} – {r.periodEnd}
              </Typography.Text>
              {buttons(r)}
            </Flex>
          ),
        },
      ]
    : [
        { key: 'title', title: t('reports.columns.report'), render: (_, r) => titleOf(r) },
        { key: 'region', title: t('reports.columns.region'), dataIndex: 'regionName' },
        { key: 'type', title: t('reports.columns.type'), render: (_, r) => typeTag(r.periodType) },
        {
          key: 'period',
          title: t('reports.columns.period'),
          render: (_, r) => `${r.periodStart} – ${r.periodEnd}`,
        },
        {
          key: 'generated',
          title: t('reports.columns.generatedAt'),
          render: (_, r) => (
            <Flex vertical>
              <span>{formatDateTime(r.generatedAt)}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.scheduled ? t('reports.scheduled') : t('reports.byUser', { user: r.generatedByUsername ?? '—' })}
              </Typography.Text>
            </Flex>
          ),
        },
        {
          key: 'files',
          title: t('reports.columns.download'),
          render: (_, r) => (
            <Flex vertical gap={2}>
              {buttons(r)}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                PDF {kb(r.pdfSize)} · Excel {kb(r.xlsxSize)}
              </Typography.Text>
            </Flex>
          ),
        },
      ];

  return (
    <PageContainer
      title={t('reports.title')}
      extra={
        canGenerate ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setGenerating(true)}
            data-testid="report-generate"
          >
            {t('reports.generate.open')}
          </Button>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{t('reports.intro')}</Typography.Paragraph>
      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <Select<ReportPeriodType | 'all'>
          value={periodType ?? 'all'}
          style={{ width: compact ? '100%' : 160 }}
          aria-label={t('reports.filters.type')}
          data-testid="report-filter-type"
          onChange={(v) => {
            const next = v === 'all' ? undefined : v;
            setPeriodType(next);
            list.setFilters({ periodType: next, region });
          }}
          options={[
            { value: 'all', label: t('reports.filters.allTypes') },
            { value: 'weekly', label: t('reports.types.weekly') },
            { value: 'monthly', label: t('reports.types.monthly') },
          ]}
        />
        <Select<string>
          allowClear
          value={region}
          placeholder={t('reports.filters.allRegions')}
          style={{ width: compact ? '100%' : 220 }}
          aria-label={t('reports.filters.region')}
          data-testid="report-filter-region"
          loading={regions.isLoading}
          showSearch={{ optionFilterProp: 'label' }}
          onChange={(v) => {
            setRegion(v);
            list.setFilters({ periodType, region: v });
          }}
          options={(regions.data ?? []).map((r) => ({ value: r.code, label: r.name }))}
        />
      </Flex>
      {list.query.isError ? (
        <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <Table<ReportItem>
          rowKey="id"
          columns={columns}
          {...list.tableProps}
          scroll={compact ? undefined : list.tableProps.scroll}
          data-testid="report-table"
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  <Flex vertical gap={4} align="center">
                    <span data-testid="report-empty">{t('reports.empty')}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('reports.emptyHint')}
                    </Typography.Text>
                  </Flex>
                }
              />
            ),
          }}
        />
      )}
      {generating ? (
        <GenerateDialog
          regions={(regions.data ?? []).map((r) => ({ value: r.code, label: r.name }))}
          defaultRegion={me.data?.scope.regionCode ?? undefined}
          onClose={() => setGenerating(false)}
        />
      ) : null}
    </PageContainer>
  );
}

/** The last ended week or month: the default of the dialog. */
function lastEnded(type: ReportPeriodType): Dayjs {
  return type === 'weekly' ? dayjs().subtract(7, 'day') : dayjs().subtract(1, 'month');
}

function GenerateDialog({
  regions,
  defaultRegion,
  onClose,
}: {
  regions: { value: string; label: string }[];
  defaultRegion?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ periodType: ReportPeriodType; date: Dayjs; region: string }>();
  const periodType = Form.useWatch('periodType', form) ?? 'monthly';
  const date = Form.useWatch('date', form);
  const [answer, setAnswer] = useState<GenerateAnswer | null>(null);
  const job = useJob(answer?.jobId ?? null);
  const mutation = useApiMutation(generateReport, {
    onSuccess: (a) => {
      setAnswer(a);
    },
  });
  const status = job.data?.status;
  const finished = status === 'succeeded' || status === 'failed';
  useEffect(() => {
    if (status === 'succeeded') void queryClient.invalidateQueries({ queryKey: reportsKey });
  }, [status, queryClient]);

  const chosen = date ? periodContaining(periodType, date.format('YYYY-MM-DD')) : null;
  const today = dayjs().format('YYYY-MM-DD');

  return (
    <Modal
      open
      title={t('reports.generate.title')}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      footer={
        answer ? (
          <Button onClick={onClose} type={finished ? 'primary' : 'default'} data-testid="report-generate-close">
            {finished ? t('reports.generate.done') : t('reports.generate.background')}
          </Button>
        ) : (
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              icon={<DownloadOutlined />}
              loading={mutation.isPending}
              onClick={() => void form.submit()}
              data-testid="report-generate-submit"
            >
              {t('reports.generate.submit')}
            </Button>
          </Space>
        )
      }
    >
      {answer ? (
        <Flex vertical gap={12} data-testid="report-generate-progress">
          <Typography.Text strong>
            {currentLanguage() === 'en'
              ? t('reports.generate.periodOf', { start: answer.periodStart, end: answer.periodEnd })
              : answer.title}
          </Typography.Text>
          <Progress percent={job.data?.progress ?? 0} status={job.data ? progressStatus(job.data.status) : 'active'} />
          <Typography.Text type="secondary" data-testid="report-generate-status">
            {job.data && isActive(job.data.status)
              ? t('reports.generate.running')
              : status === 'succeeded'
                ? t('reports.generate.succeeded')
                : status === 'failed'
                  ? t('reports.generate.failed', { message: job.data?.message ?? '' })
                  : t('reports.generate.queued')}
          </Typography.Text>
        </Flex>
      ) : (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ periodType: 'monthly', date: lastEnded('monthly'), region: defaultRegion }}
          onFinish={(v) =>
            mutation.mutate({ periodType: v.periodType, date: v.date.format('YYYY-MM-DD'), region: v.region })
          }
        >
          <Form.Item name="periodType" label={t('reports.generate.type')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              onChange={(e) => form.setFieldValue('date', lastEnded(e.target.value as ReportPeriodType))}
              options={[
                { value: 'weekly', label: t('reports.types.weekly') },
                { value: 'monthly', label: t('reports.types.monthly') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="date"
            label={t('reports.generate.period')}
            rules={[{ required: true, message: t('reports.generate.periodRequired') }]}
            extra={chosen ? periodLabel(chosen, lang()) : undefined}
          >
            <DatePicker
              picker={periodType === 'weekly' ? 'week' : 'month'}
              style={{ width: '100%' }}
              allowClear={false}
              data-testid="report-generate-date"
              disabledDate={(d) => periodContaining(periodType, d.format('YYYY-MM-DD')).end >= today}
            />
          </Form.Item>
          <Form.Item name="region" label={t('reports.generate.region')} rules={[{ required: true }]}>
            <Select options={regions} showSearch={{ optionFilterProp: 'label' }} data-testid="report-generate-region" />
          </Form.Item>
          <Alert type="info" showIcon title={t('reports.generate.note')} />
        </Form>
      )}
    </Modal>
  );
}
