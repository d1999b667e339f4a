import { ArrowLeftOutlined, EditOutlined, FlagOutlined, RiseOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Result, Skeleton, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../app/api';
import { useCan } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { type ParkDetail, usePark } from './api';
import { formatDay, formatFixed, formatMu, formatNumber, formatWan, formatWanM2, formatYi } from './format';
import { InvestmentTab } from './InvestmentTab';
import { MilestonesTab } from './MilestonesTab';
import { ParkFormModal, RecognitionModal, StageModal } from './ParkForms';
import { ReportsTab } from './ReportsTab';
import { TimelineTab } from './TimelineTab';
import { OverdueTag, RecognitionTag, StageTag, Stars } from './tags';
import { UnitsTab } from './UnitsTab';

const TABS = ['timeline', 'milestones', 'investment', 'reports', 'units'] as const;
type TabKey = (typeof TABS)[number];

function Facts({ park }: { park: ParkDetail }) {
  const { t } = useTranslation();
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2, lg: 3, xxl: 4 }}
      data-testid="park-facts"
      items={[
        { key: 'code', label: t('parks.fields.code'), children: park.code },
        { key: 'region', label: t('parks.fields.region'), children: park.regionName },
        { key: 'stage', label: t('parks.fields.stage'), children: <StageTag stage={park.stage} /> },
        { key: 'category', label: t('parks.fields.category'), children: t(`parks.category.${park.category}`) },
        {
          key: 'mode',
          label: t('parks.fields.developmentMode'),
          children: t(`parks.developmentMode.${park.developmentMode}`),
        },
        { key: 'land', label: t('parks.fields.land'), children: formatMu(park.landAreaMu) },
        {
          key: 'floor',
          label: t('parks.fields.floor'),
          children: `${formatNumber(park.floorAreaM2, 0)} ${t('parks.measure.m2')} (${formatWanM2(park.floorAreaM2)})`,
        },
        { key: 'plot', label: t('parks.fields.plotRatio'), children: formatFixed(park.plotRatio, 2) },
        {
          key: 'investment',
          label: t('parks.fields.plannedInvestment'),
          children: `${formatWan(park.plannedInvestmentWan)} (${formatYi(park.plannedInvestmentWan)})`,
        },
        {
          key: 'recognition',
          label: t('parks.fields.recognition'),
          children: park.recognitionLevel ? (
            <Space size={4} wrap>
              <RecognitionTag level={park.recognitionLevel} />
              {park.recognitionBatch ? <span>{park.recognitionBatch}</span> : null}
              {park.recognizedOn ? (
                <Typography.Text type="secondary">{formatDay(park.recognizedOn)}</Typography.Text>
              ) : null}
            </Space>
          ) : (
            t('parks.recognition.none')
          ),
        },
        {
          key: 'stars',
          label: t('parks.fields.stars'),
          children: park.starLevel ? (
            <Space size={4}>
              <Stars level={park.starLevel} />
              {park.starYear ? (
                <Typography.Text type="secondary">
                  {t('parks.detail.starYear', { year: park.starYear })}
                </Typography.Text>
              ) : null}
            </Space>
          ) : (
            '—'
          ),
        },
        {
          key: 'industry',
          label: t('parks.fields.industry'),
          children: [park.industryCodes.join(', '), park.positioning].filter(Boolean).join(' · ') || '—',
        },
        { key: 'monitored', label: t('parks.fields.monitoredFrom'), children: formatDay(park.monitoredFrom) },
        { key: 'address', label: t('parks.fields.address'), children: park.address || '—' },
      ]}
    />
  );
}

export default function ParkDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const park = usePark(id);
  const can = useCan();
  const [dialog, setDialog] = useState<'edit' | 'stage' | 'recognition' | null>(null);
  const tabParam = searchParams.get('tab');
  const tab: TabKey = (TABS as readonly string[]).includes(tabParam ?? '') ? (tabParam as TabKey) : 'timeline';

  const back = (
    <Link to="/parks">
      <Button icon={<ArrowLeftOutlined />}>{t('parks.detail.back')}</Button>
    </Link>
  );

  if (park.isError) {
    if (isApiError(park.error) && (park.error.status === 404 || park.error.status === 400))
      return <Result status="404" title={t('parks.detail.notFound')} extra={back} />;
    return (
      <PageContainer title={t('parks.nav.detail')} extra={back}>
        <QueryError error={park.error} onRetry={() => void park.refetch()} />
      </PageContainer>
    );
  }
  const p = park.data;
  if (!p)
    return (
      <PageContainer title={t('parks.nav.detail')}>
        <Skeleton active paragraph={{ rows: 8 }} />
      </PageContainer>
    );

  return (
    <PageContainer
      title={
        <Space wrap size={8}>
          <span data-testid="park-name">{p.name}</span>
          {p.overdue ? <OverdueTag /> : null}
        </Space>
      }
      extra={
        <Space wrap>
          {can('parks:manage') ? (
            <>
              <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="park-edit">
                {t('parks.form.edit')}
              </Button>
              <Button icon={<RiseOutlined />} onClick={() => setDialog('stage')} data-testid="park-stage">
                {t('parks.form.stage')}
              </Button>
              <Button icon={<FlagOutlined />} onClick={() => setDialog('recognition')} data-testid="park-recognition">
                {t('parks.form.recognition')}
              </Button>
            </>
          ) : null}
          {back}
        </Space>
      }
    >
      {can('parks:manage') ? (
        <>
          <ParkFormModal key={`edit-${p.version}`} open={dialog === 'edit'} park={p} onClose={() => setDialog(null)} />
          <StageModal key={`stage-${p.version}`} open={dialog === 'stage'} park={p} onClose={() => setDialog(null)} />
          <RecognitionModal
            key={`recognition-${p.version}`}
            open={dialog === 'recognition'}
            park={p}
            onClose={() => setDialog(null)}
          />
        </>
      ) : null}
      <Card style={{ marginBottom: 16 }}>
        <Facts park={p} />
      </Card>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => {
            const next = new URLSearchParams(searchParams);
            if (key === 'timeline') next.delete('tab');
            else next.set('tab', key);
            setSearchParams(next, { replace: true });
          }}
          items={[
            { key: 'timeline', label: t('parks.tabs.timeline'), children: <TimelineTab park={p} /> },
            { key: 'milestones', label: t('parks.tabs.milestones'), children: <MilestonesTab park={p} /> },
            { key: 'investment', label: t('parks.tabs.investment'), children: <InvestmentTab park={p} /> },
            { key: 'reports', label: t('parks.tabs.reports'), children: <ReportsTab park={p} /> },
            { key: 'units', label: t('parks.tabs.units'), children: <UnitsTab park={p} /> },
          ]}
          destroyOnHidden
          data-testid="park-tabs"
        />
      </Card>
    </PageContainer>
  );
}
