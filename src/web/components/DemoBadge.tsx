import { ExperimentOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

export function DemoBadge() {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('app.demoHint')}>
      <Tag color="orange" icon={<ExperimentOutlined />} data-testid="demo-badge" style={{ marginInlineEnd: 0 }}>
        {t('app.demo')}
      </Tag>
    </Tooltip>
  );
}
