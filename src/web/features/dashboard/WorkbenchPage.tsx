import { BellOutlined, ClusterOutlined, EnvironmentOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Avatar, Card, Col, Descriptions, Flex, Row, Statistic, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, type Paged } from '../../app/api';
import { useSession } from '../../app/guards';
import { hasPermission } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import { fetchUnreadCount, unreadCountKey } from '../notifications/api';
import { inScopeCount, useRegions } from '../regions/api';

function Tile({
  title,
  value,
  icon,
  loading,
  onClick,
  testId,
}: {
  title: string;
  value: number | undefined;
  icon: ReactNode;
  loading: boolean;
  onClick: () => void;
  testId: string;
}) {
  return (
    <Card hoverable onClick={onClick} data-testid={testId}>
      <Statistic title={title} value={value ?? '—'} prefix={icon} loading={loading} />
    </Card>
  );
}

export default function WorkbenchPage() {
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  const canRegions = hasPermission(me, 'regions:read');

  const unread = useQuery({
    queryKey: unreadCountKey,
    queryFn: ({ signal }) => fetchUnreadCount(signal),
    refetchInterval: 60_000,
  });
  const regions = useRegions(canRegions);
  const canOrgs = hasPermission(me, 'orgs:read');
  const orgs = useQuery({
    queryKey: ['orgs', 'count'],
    queryFn: ({ signal }) => api.get<Paged<unknown>>('/orgs', { page: 1, pageSize: 1 }, signal),
    enabled: canOrgs,
  });

  const scope =
    me.scope.kind === 'region'
      ? (me.scope.regionName ?? me.scope.regionCode ?? '—')
      : me.scope.kind === 'org'
        ? (me.org?.name ?? '—')
        : t('scope.none');

  return (
    <PageContainer title={t('nav.dashboard')}>
      <Card style={{ marginBottom: 16 }} data-testid="welcome-card">
        <Flex gap={16} align="center" wrap>
          <Avatar size={56} icon={<UserOutlined />} style={{ backgroundColor: '#1f7a4d', flex: 'none' }} />
          <div style={{ minWidth: 0, flex: 1 }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('dashboard.welcome', { name: me.displayName })}
            </Typography.Title>
            <Typography.Text type="secondary">{t('dashboard.intro')}</Typography.Text>
          </div>
        </Flex>
        <Descriptions
          style={{ marginTop: 16 }}
          size="small"
          column={{ xs: 1, sm: 1, md: 3 }}
          items={[
            {
              key: 'role',
              label: t('user.role'),
              children: <Tag color="green">{t(`roles.${me.role}`)}</Tag>,
            },
            { key: 'org', label: t('user.org'), children: me.org?.name ?? t('user.noOrg') },
            {
              key: 'scope',
              label: t('user.scope'),
              children: (
                <span data-testid="scope">
                  <EnvironmentOutlined /> {scope}
                  {me.scope.kind === 'region' && me.scope.regionCode ? (
                    <Typography.Text type="secondary"> ({me.scope.regionCode})</Typography.Text>
                  ) : null}
                </span>
              ),
            },
          ]}
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} lg={6}>
          <Tile
            title={t('dashboard.unread')}
            value={unread.data?.count}
            icon={<BellOutlined />}
            loading={unread.isLoading}
            onClick={() => navigate('/notifications')}
            testId="tile-unread"
          />
        </Col>
        {canRegions ? (
          <Col xs={24} sm={12} lg={6}>
            <Tile
              title={t('dashboard.regions')}
              value={inScopeCount(regions.data?.items)}
              icon={<ClusterOutlined />}
              loading={regions.isLoading}
              onClick={() => navigate('/regions')}
              testId="tile-regions"
            />
          </Col>
        ) : null}
        {canOrgs ? (
          <Col xs={24} sm={12} lg={6}>
            <Tile
              title={t('dashboard.orgs')}
              value={orgs.data?.total}
              icon={<TeamOutlined />}
              loading={orgs.isLoading}
              onClick={() => navigate('/orgs')}
              testId="tile-orgs"
            />
          </Col>
        ) : null}
      </Row>
    </PageContainer>
  );
}
