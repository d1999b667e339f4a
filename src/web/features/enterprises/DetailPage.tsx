import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Result, Row, Skeleton, Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../app/api';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { type EnterpriseDetail, industryLabel, useEnterprise } from './api';
import { ContactsTab } from './ContactsTab';
import { FactsTab } from './FactsTab';
import { formatDay, formatWan } from './format';
import { IndicatorsTab } from './IndicatorsTab';
import { QualificationsTab } from './QualificationsTab';
import { SizeCard } from './SizeCard';
import { TenancyTab } from './TenancyTab';
import { StatusTag } from './tags';

const TABS = ['indicators', 'qualifications', 'tenancy', 'contacts', 'facts'] as const;
type TabKey = (typeof TABS)[number];

function Profile({ e }: { e: EnterpriseDetail }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('enterprises.detail.profile')} style={{ height: '100%' }}>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 1, md: 2 }}
        data-testid="enterprise-profile"
        items={[
          {
            key: 'uscc',
            label: t('enterprises.fields.uscc'),
            children: (
              <Typography.Text
                copyable={{ tooltips: [t('enterprises.detail.copy'), t('enterprises.detail.copied')] }}
                style={{ fontFamily: 'monospace' }}
                data-testid="enterprise-uscc"
              >
                {e.uscc}
              </Typography.Text>
            ),
          },
          { key: 'region', label: t('enterprises.fields.region'), children: e.regionName },
          { key: 'industry', label: t('enterprises.fields.industry'), children: industryLabel(e.industryCode) },
          { key: 'founded', label: t('enterprises.fields.foundedOn'), children: formatDay(e.foundedOn) },
          {
            key: 'capital',
            label: t('enterprises.fields.registeredCapitalWan'),
            children: formatWan(e.registeredCapitalWan, 2),
          },
          {
            key: 'rep',
            label: t('enterprises.fields.legalRepresentative'),
            children: e.legalRepresentative || '—',
          },
          { key: 'status', label: t('enterprises.fields.status'), children: <StatusTag status={e.status} /> },
          { key: 'address', label: t('enterprises.fields.address'), children: e.address || '—' },
          ...(e.usccWarnings.length
            ? [
                {
                  key: 'warnings',
                  label: t('enterprises.list.usccWarnings'),
                  children: (
                    <Typography.Text type="warning">
                      {e.usccWarnings
                        .map((w) => t(`enterprises.usccWarning.${w}`, { defaultValue: w }))
                        .join(t('enterprises.sizeCard.sep'))}
                    </Typography.Text>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

export default function DetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useEnterprise(id);
  const tabParam = searchParams.get('tab');
  const tab: TabKey = (TABS as readonly string[]).includes(tabParam ?? '') ? (tabParam as TabKey) : 'indicators';

  const back = (
    <Link to="/enterprises">
      <Button icon={<ArrowLeftOutlined />}>{t('enterprises.detail.back')}</Button>
    </Link>
  );

  if (query.isError) {
    if (isApiError(query.error) && (query.error.status === 404 || query.error.status === 400))
      return <Result status="404" title={t('enterprises.detail.notFound')} extra={back} />;
    return (
      <PageContainer title={t('enterprises.nav.detail')} extra={back}>
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      </PageContainer>
    );
  }
  const e = query.data;
  if (!e)
    return (
      <PageContainer title={t('enterprises.nav.detail')}>
        <Skeleton active paragraph={{ rows: 8 }} />
      </PageContainer>
    );

  return (
    <PageContainer
      title={
        <Space wrap size={8}>
          <span data-testid="enterprise-name">{e.name}</span>
          <StatusTag status={e.status} />
        </Space>
      }
      extra={back}
    >
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} xl={14}>
          <Profile e={e} />
        </Col>
        <Col xs={24} xl={10}>
          <SizeCard e={e} />
        </Col>
      </Row>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => {
            const next = new URLSearchParams(searchParams);
            if (key === 'indicators') next.delete('tab');
            else next.set('tab', key);
            setSearchParams(next, { replace: true });
          }}
          items={[
            { key: 'indicators', label: t('enterprises.tabs.indicators'), children: <IndicatorsTab e={e} /> },
            {
              key: 'qualifications',
              label: t('enterprises.tabs.qualifications'),
              children: <QualificationsTab e={e} />,
            },
            { key: 'tenancy', label: t('enterprises.tabs.tenancy'), children: <TenancyTab e={e} /> },
            { key: 'contacts', label: t('enterprises.tabs.contacts'), children: <ContactsTab e={e} /> },
            { key: 'facts', label: t('enterprises.tabs.facts'), children: <FactsTab e={e} /> },
          ]}
          destroyOnHidden
          data-testid="enterprise-tabs"
        />
      </Card>
    </PageContainer>
  );
}
