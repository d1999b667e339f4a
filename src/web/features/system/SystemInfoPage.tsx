import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { formatDuration } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';

interface SystemInfo {
  version: string;
  database: 'pglite' | 'postgres';
  profile: string;
  uptimeSeconds: number;
  node: string;
}

export default function SystemInfoPage() {
  const { t } = useTranslation();
  const info = useQuery({
    queryKey: ['system', 'info'],
    queryFn: ({ signal }) => api.get<SystemInfo>('/system/info', undefined, signal),
  });

  return (
    <PageContainer
      title={t('nav.system')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void info.refetch()} loading={info.isFetching}>
          {t('common.refresh')}
        </Button>
      }
    >
      {info.isError ? (
        <QueryError error={info.error} onRetry={() => void info.refetch()} />
      ) : (
        <Card loading={info.isLoading} style={{ maxWidth: 880 }}>
          {info.data ? (
            <Descriptions
              bordered
              column={1}
              size="middle"
              data-testid="system-info"
              items={[
                { key: 'version', label: t('system.version'), children: info.data.version },
                {
                  key: 'database',
                  label: t('system.database'),
                  children: <Tag color="blue">{t(`system.databases.${info.data.database}`, info.data.database)}</Tag>,
                },
                { key: 'profile', label: t('system.profile'), children: info.data.profile },
                { key: 'uptime', label: t('system.uptime'), children: formatDuration(info.data.uptimeSeconds) },
                { key: 'node', label: t('system.node'), children: info.data.node },
              ]}
            />
          ) : null}
        </Card>
      )}
    </PageContainer>
  );
}
