import { CameraOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Button,
  Calendar,
  Card,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Segmented,
  Select,
  Space,
  Switch,
  Tabs,
  Tag,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, fieldErrorsOf, newIdempotencyKey } from '../../app/api';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { usePagedList } from '../../components/usePagedList';
import { uploadFile } from '../parks/api';
import { assistanceKey, firmOf, useCalendar, usePairedEnterprises, type Visit, type VisitWarning } from './api';
import { ExportButton } from './ui';

interface VisitForm {
  kind: 'visit' | 'symposium';
  date: Dayjs;
  enterpriseIds: string[];
  participants: string[];
  notes: string;
  followUps?: string;
}

type Stamp = { lat: number; lng: number; accuracy: number } | null;

function names(v: Visit): string {
  if (v.enterprises?.length) return v.enterprises.map((e) => e.name).join('、');
  return (v.enterpriseNames ?? []).join('、');
}

/** Logging a visit or symposium (phone-first): photos, and a location stamp only after the cadre switches consent on. */
function LogVisit({ enterprises }: { enterprises: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<VisitForm>();
  const [photos, setPhotos] = useState<UploadFile<{ id: string }>[]>([]);
  const [consent, setConsent] = useState(false);
  const [stamp, setStamp] = useState<Stamp>(null);
  const [locating, setLocating] = useState(false);
  const [warnings, setWarnings] = useState<VisitWarning[]>([]);
  const [key, setKey] = useState(newIdempotencyKey);

  const locate = (on: boolean) => {
    setConsent(on);
    setStamp(null);
    if (!on) return;
    if (!('geolocation' in navigator)) {
      void message.warning(t('assistance.visits.noGeolocation'));
      setConsent(false);
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        setStamp({ lat: pos.coords.latitude, lng: pos.coords.longitude, accuracy: Math.round(pos.coords.accuracy) });
      },
      () => {
        setLocating(false);
        setConsent(false);
        void message.warning(t('assistance.visits.locationDenied'));
      },
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };

  const save = useApiMutation(
    (v: VisitForm) =>
      api.post<{ visit?: Visit; warnings?: VisitWarning[] }>(
        '/assistance/visits',
        {
          kind: v.kind,
          date: v.date.format('YYYY-MM-DD'),
          enterpriseIds: v.enterpriseIds,
          participants: v.participants ?? [],
          notes: v.notes,
          followUps: (v.followUps ?? '')
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
          photoFileIds: photos.flatMap((p) => (p.response?.id ? [p.response.id] : [])),
          ...(consent && stamp ? { location: { ...stamp, consent: true } } : {}),
        },
        { headers: { 'Idempotency-Key': key } },
      ),
    {
      onSuccess: (r) => {
        setWarnings(r.warnings ?? []);
        void message.success(t('assistance.visits.saved'));
        form.resetFields();
        setPhotos([]);
        setStamp(null);
        setConsent(false);
        setKey(newIdempotencyKey());
        void queryClient.invalidateQueries({ queryKey: assistanceKey });
        void queryClient.invalidateQueries({ queryKey: ['assistance-visits'] });
      },
      onError: (error) => {
        const fields = fieldErrorsOf(error);
        if (!fields.length) return false;
        form.setFields(fields.map((f) => ({ name: f.name as keyof VisitForm, errors: [f.message] })));
        return true;
      },
    },
  );

  return (
    <Card size="small" style={{ maxWidth: 640 }}>
      {warnings.length ? (
        <Alert
          type="warning"
          showIcon
          closable
          onClose={() => setWarnings([])}
          style={{ marginBottom: 12 }}
          title={t('assistance.visits.warnings')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="visit-warnings">
              {warnings.map((w) => (
                <li key={`${w.code}-${w.enterpriseId}`}>
                  {w.message ||
                    `${t(`assistance.visits.warning.${w.code}`, { defaultValue: w.code })} — ${
                      enterprises.find((e) => e.value === w.enterpriseId)?.label ?? ''
                    }`}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Form<VisitForm>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'visit', date: dayjs(), participants: [] }}
        onFinish={(v) => save.mutate(v)}
        data-testid="visit-form"
      >
        <Form.Item name="kind">
          <Segmented
            block
            options={[
              { value: 'visit', label: t('assistance.visits.kind.visit') },
              { value: 'symposium', label: t('assistance.visits.kind.symposium') },
            ]}
          />
        </Form.Item>
        <Form.Item name="date" label={t('assistance.visits.date')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} inputReadOnly />
        </Form.Item>
        <Form.Item
          name="enterpriseIds"
          label={t('assistance.visits.enterprises')}
          rules={[{ required: true, message: t('assistance.submit.enterpriseRequired') }]}
        >
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            options={enterprises}
            data-testid="visit-enterprises"
          />
        </Form.Item>
        <Form.Item
          name="participants"
          label={t('assistance.visits.participants')}
          extra={t('assistance.visits.participantsHint')}
        >
          <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} />
        </Form.Item>
        <Form.Item
          name="notes"
          label={t('assistance.visits.notes')}
          rules={[{ required: true, whitespace: true, message: t('assistance.form.required') }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item
          name="followUps"
          label={t('assistance.visits.followUps')}
          extra={t('assistance.visits.followUpsHint')}
        >
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Form.Item label={t('assistance.fields.photos')}>
          <Upload<{ id: string }>
            accept="image/*"
            capture="environment"
            listType="picture"
            multiple
            maxCount={9}
            fileList={photos}
            onChange={({ fileList }) => setPhotos(fileList)}
            customRequest={({ file, onSuccess, onError }) => {
              uploadFile<{ id: string }>('/files', file as File)
                .then((r) => onSuccess?.(r))
                .catch((e: Error) => {
                  void message.error(e.message);
                  onError?.(e);
                });
            }}
          >
            <Button icon={<CameraOutlined />} block>
              {t('assistance.submit.takePhoto')}
            </Button>
          </Upload>
        </Form.Item>
        <Form.Item label={t('assistance.visits.location')} extra={t('assistance.visits.locationHint')}>
          <Space wrap>
            <Switch checked={consent} loading={locating} onChange={locate} data-testid="location-consent" />
            {stamp ? (
              <Typography.Text data-testid="location-stamp">
                <EnvironmentOutlined /> {stamp.lat.toFixed(5)}, {stamp.lng.toFixed(5)} (±{stamp.accuracy} m)
              </Typography.Text>
            ) : null}
          </Space>
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          block
          size="large"
          loading={save.isPending}
          disabled={photos.some((p) => p.status === 'uploading') || locating}
          data-testid="visit-submit"
        >
          {t('assistance.visits.save')}
        </Button>
      </Form>
    </Card>
  );
}

/** 无事不扰: one enterprise's visits across departments on a month calendar. */
function VisitCalendar({
  enterprises,
  initial,
}: {
  enterprises: { value: string; label: string }[];
  initial?: string;
}) {
  const { t } = useTranslation();
  const [enterpriseId, setEnterpriseId] = useState<string | undefined>(initial);
  const [month, setMonth] = useState(dayjs());
  const from = month.startOf('month').subtract(7, 'day').format('YYYY-MM-DD');
  const to = month.endOf('month').add(7, 'day').format('YYYY-MM-DD');
  const calendar = useCalendar(enterpriseId ?? null, from, to);
  const visits = calendar.data?.visits ?? [];
  const monthInfo = calendar.data?.months.find((m) => m.month === month.format('YYYY-MM'));
  const byDay = new Map<string, Visit[]>();
  for (const v of visits) {
    const d = v.date.slice(0, 10);
    byDay.set(d, [...(byDay.get(d) ?? []), v]);
  }
  return (
    <Space orientation="vertical" style={{ width: '100%', maxWidth: 640 }}>
      <Select
        showSearch={{ optionFilterProp: 'label' }}
        style={{ width: '100%' }}
        placeholder={t('assistance.submit.chooseEnterprise')}
        options={enterprises}
        value={enterpriseId}
        onChange={setEnterpriseId}
        data-testid="calendar-enterprise"
      />
      {calendar.error ? <QueryError error={calendar.error} /> : null}
      {enterpriseId ? (
        <>
          {calendar.data?.preferOnline ? (
            <Alert
              type="info"
              showIcon
              title={t('assistance.visits.warning.PREFERS_ONLINE')}
              data-testid="prefers-online"
            />
          ) : null}
          {monthInfo?.overCap ? (
            <Alert
              type="warning"
              showIcon
              title={t('assistance.visits.overCap', { visits: monthInfo.visits, cap: calendar.data?.visitCapPerMonth })}
            />
          ) : null}
          <Calendar
            fullscreen={false}
            value={month}
            onPanelChange={(d) => setMonth(d)}
            onSelect={(d) => setMonth(d)}
            cellRender={(d, info) => {
              if (info.type !== 'date') return info.originNode;
              const n = byDay.get(d.format('YYYY-MM-DD'))?.length ?? 0;
              return n ? <Badge count={n} size="small" color="blue" /> : null;
            }}
          />
          <List<Visit>
            size="small"
            dataSource={visits.filter((v) => dayjs(v.date).isSame(month, 'month'))}
            locale={{ emptyText: t('assistance.visits.noneThisMonth') }}
            renderItem={(v) => (
              <List.Item>
                <Flex vertical>
                  <span>
                    {v.date.slice(0, 10)} <Tag>{t(`assistance.visits.kind.${v.kind}`)}</Tag>
                    {v.orgName ?? v.cadreName ?? ''}
                  </span>
                  <Typography.Text type="secondary">{v.notes}</Typography.Text>
                </Flex>
              </List.Item>
            )}
          />
        </>
      ) : (
        <Empty description={t('assistance.visits.chooseForCalendar')} />
      )}
    </Space>
  );
}

/** 走访记录: log a visit (phone-first), the visit list, and the per-enterprise calendar. */
export default function VisitsPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const paired = usePairedEnterprises(true);
  const enterprises = new Map<string, string>();
  for (const p of paired.data?.items ?? []) enterprises.set(p.enterpriseId, firmOf(p));
  const options = [...enterprises].map(([value, label]) => ({ value, label }));
  const list = usePagedList<Visit>({ key: 'assistance-visits', path: '/assistance/visits', pageSize: 10 });
  const { state, setPage } = list;
  const initialEnterprise = params.get('enterpriseId') ?? undefined;

  return (
    <PageContainer title={t('assistance.visits.title')}>
      <Tabs
        defaultActiveKey={initialEnterprise ? 'calendar' : 'log'}
        items={[
          { key: 'log', label: t('assistance.visits.log'), children: <LogVisit enterprises={options} /> },
          {
            key: 'list',
            label: t('assistance.visits.list'),
            children: (
              <>
                <Flex justify="flex-end" style={{ marginBottom: 8 }}>
                  <ExportButton
                    path="/assistance/visits/export"
                    params={list.params}
                    fallbackName="visits.xlsx"
                    testId="visits-export"
                  />
                </Flex>
                {list.query.error ? <QueryError error={list.query.error} /> : null}
                <List<Visit>
                  loading={list.query.isLoading}
                  dataSource={list.query.data?.items ?? []}
                  locale={{ emptyText: <Empty description={t('assistance.visits.empty')} /> }}
                  pagination={{
                    current: state.page,
                    pageSize: state.pageSize,
                    total: list.query.data?.total ?? 0,
                    onChange: (p) => setPage(p),
                    size: 'small',
                    hideOnSinglePage: true,
                  }}
                  renderItem={(v) => (
                    <List.Item>
                      <Flex vertical style={{ width: '100%' }}>
                        <Flex justify="space-between" wrap>
                          <Typography.Text strong>
                            {names(v) ||
                              t('assistance.visits.firms', { count: v.firmCount ?? v.enterpriseIds?.length ?? 0 })}
                          </Typography.Text>
                          <span>
                            <Tag>{t(`assistance.visits.kind.${v.kind}`)}</Tag>
                            {v.date.slice(0, 10)}
                          </span>
                        </Flex>
                        {v.orgName ? (
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {v.orgName}
                          </Typography.Text>
                        ) : null}
                        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                          {v.notes}
                        </Typography.Paragraph>
                        {v.location ? (
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            <EnvironmentOutlined /> {v.location.lat.toFixed(4)}, {v.location.lng.toFixed(4)}
                          </Typography.Text>
                        ) : null}
                      </Flex>
                    </List.Item>
                  )}
                />
              </>
            ),
          },
          {
            key: 'calendar',
            label: t('assistance.visits.calendar'),
            children: <VisitCalendar enterprises={options} initial={initialEnterprise} />,
          },
        ]}
      />
    </PageContainer>
  );
}
