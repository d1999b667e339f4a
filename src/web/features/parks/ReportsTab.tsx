import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError, newIdempotencyKey } from '../../app/api';
import { useCan } from '../../app/guards';
import { type ParkDetail, type ParkReport, parkKey, parksKey, type ReportPeriod, validationMessages } from './api';
import { formatDay, formatNumber, periodStartOf } from './format';
import { ReportStateTag } from './tags';

interface ReportForm {
  period: ReportPeriod;
  periodStart: Dayjs;
  investmentWan: number;
  progress: string;
  problems?: string;
}

function SubmitReportModal({ park, open, onClose }: { park: ParkDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ReportForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string[] | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const period = Form.useWatch('period', form) ?? 'week';

  const close = () => {
    form.resetFields();
    setError(null);
    setKey(newIdempotencyKey());
    onClose();
  };

  const confirmReplace = (v: ReportForm, start: string, submittedOn: string) =>
    modal.confirm({
      title: t('parks.reports.confirmOverwrite'),
      content: t('parks.reports.confirmOverwriteBody', { start, submittedOn }),
      okText: t('parks.reports.submit'),
      cancelText: t('common.cancel'),
      onOk: () => send(v, start, true),
    });

  const send = async (v: ReportForm, start: string, replace = false): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api.post(
        `/parks/${park.id}/reports`,
        {
          period: v.period,
          periodStart: start,
          investmentWan: v.investmentWan,
          progress: v.progress.trim(),
          problems: (v.problems ?? '').trim(),
          // the server refuses to overwrite a submitted report unless told to (asked for below)
          ...(replace ? { replace: true } : {}),
        },
        { headers: { 'Idempotency-Key': key } },
      );
      void message.success(t('parks.reports.submitted'));
      close();
      void queryClient.invalidateQueries({ queryKey: parkKey(park.id) });
      void queryClient.invalidateQueries({ queryKey: [...parksKey, 'reports'] });
    } catch (e) {
      setKey(newIdempotencyKey());
      if (!replace && isApiError(e) && e.code === 'REPORT_ALREADY_SUBMITTED') {
        // submitted meanwhile (or older than the reports this page holds): the same question as below
        confirmReplace(v, start, (e.details as { submittedOn?: string } | undefined)?.submittedOn ?? '');
        return;
      }
      setError([e instanceof Error ? e.message : t('errors.unknown'), ...validationMessages(e)]);
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    const v = await form.validateFields();
    const start = periodStartOf(v.period, v.periodStart);
    const existing = park.reports.find((r) => r.period === v.period && r.periodStart === start && r.submittedOn);
    if (!existing) return send(v, start);
    confirmReplace(v, start, existing.submittedOn ?? '');
  };

  return (
    <Modal
      open={open}
      title={t('parks.reports.new')}
      okText={t('parks.reports.submit')}
      cancelText={t('common.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={close}
      confirmLoading={busy}
      forceRender
    >
      {error ? (
        <Alert
          type="error"
          showIcon
          title={error[0]}
          description={error.length > 1 ? error.slice(1).join('; ') : undefined}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Form<ReportForm>
        form={form}
        name="parkReport"
        layout="vertical"
        initialValues={{ period: 'week', periodStart: dayjs().subtract(7, 'day') }}
      >
        <Form.Item name="period" label={t('parks.reports.period')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'week', label: t('parks.reports.periods.week') },
              { value: 'month', label: t('parks.reports.periods.month') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="periodStart"
          label={t('parks.reports.periodStart')}
          rules={[{ required: true, message: t('parks.reports.periodRequired') }]}
          extra={t('parks.reports.periodHint')}
        >
          <DatePicker
            picker={period === 'month' ? 'month' : 'week'}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item
          name="investmentWan"
          label={t('parks.reports.investmentWan')}
          rules={[{ required: true, message: t('parks.reports.investmentRequired') }]}
        >
          <InputNumber min={0} max={1e8} precision={2} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="progress"
          label={t('parks.reports.progress')}
          rules={[
            { required: true, whitespace: true, message: t('parks.reports.progressRequired') },
            { max: 5000, message: t('parks.reports.tooLong', { max: 5000 }) },
          ]}
        >
          <Input.TextArea rows={4} maxLength={5000} showCount />
        </Form.Item>
        <Form.Item
          name="problems"
          label={t('parks.reports.problems')}
          rules={[{ max: 5000, message: t('parks.reports.tooLong', { max: 5000 }) }]}
        >
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 周报月报 of one park: every expected report with its state, and the form to submit one. */
export function ReportsTab({ park }: { park: ParkDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const [open, setOpen] = useState(false);
  const reports = [...park.reports].sort((a, b) => b.periodStart.localeCompare(a.periodStart));

  const columns: TableColumnsType<ParkReport> = [
    {
      title: t('parks.reports.period'),
      dataIndex: 'period',
      key: 'period',
      render: (p: ReportPeriod) => t(`parks.reports.periods.${p}`),
    },
    { title: t('parks.reports.periodStart'), dataIndex: 'periodStart', key: 'periodStart', render: formatDay },
    { title: t('parks.reports.dueOn'), dataIndex: 'dueOn', key: 'dueOn', render: formatDay },
    { title: t('parks.reports.submittedOn'), dataIndex: 'submittedOn', key: 'submittedOn', render: formatDay },
    {
      title: t('parks.reports.state'),
      dataIndex: 'state',
      key: 'state',
      render: (_: unknown, r) => <ReportStateTag state={r.state} />,
    },
    {
      title: t('parks.reports.investmentWan'),
      dataIndex: 'investmentWan',
      key: 'investmentWan',
      align: 'right',
      render: (v: number) => formatNumber(v, 2),
    },
    {
      title: t('parks.reports.progress'),
      dataIndex: 'progress',
      key: 'progress',
      ellipsis: true,
      width: 260,
    },
  ];

  return (
    <div data-testid="park-reports">
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('parks.reports.hint')}</Typography.Text>
        {can('parks:report') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="report-new">
            {t('parks.reports.new')}
          </Button>
        ) : null}
      </Flex>
      <Table<ParkReport>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={reports}
        pagination={reports.length > 10 ? { pageSize: 10 } : false}
        scroll={{ x: 'max-content' }}
        expandable={{
          expandedRowRender: (r) => (
            <Descriptions
              size="small"
              column={1}
              styles={{ content: { whiteSpace: 'pre-wrap' } }}
              items={[
                { key: 'progress', label: t('parks.reports.progress'), children: r.progress || '—' },
                { key: 'problems', label: t('parks.reports.problems'), children: r.problems || '—' },
              ]}
            />
          ),
        }}
      />
      {can('parks:report') ? <SubmitReportModal park={park} open={open} onClose={() => setOpen(false)} /> : null}
    </div>
  );
}
