/**
 * A firm's tier card (issue #20): each tier's live verdict from the firm's facts, the score per item, what it
 * lacks, what is missing, the source of every fact it rests on (and whether one is self-reported), its
 * certifications and pool entries.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Descriptions, Empty, List, Row, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { api } from '../../app/api';
import { PageContainer } from '../../components/PageContainer';
import type { Assessment, Certification, Shortfall, Tier } from './api';
import { conditionText } from './SelfAssessment';

interface Card_ extends Assessment {
  tier: Tier;
  sources: Record<string, string>;
  selfReported: boolean;
  shortfalls: { shortfalls: Shortfall[]; gap: number } | null;
}
interface TierCard {
  enterprise: { id: string; name: string; regionCode: string };
  year: number;
  tiers: Card_[];
  certifications: Certification[];
}

export default function TierCardPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const q = useQuery({
    queryKey: ['cultivation', 'card', id],
    queryFn: () => api.get<TierCard>(`/cultivation/enterprises/${id}`),
  });
  const d = q.data;
  return (
    <PageContainer title={d ? `${d.enterprise.name} · ${t('cultivation.card.title')}` : t('cultivation.card.title')}>
      {q.error && <Alert type="error" showIcon title={q.error.message} />}
      {d && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Text type="secondary">{t('cultivation.card.year', { year: d.year })}</Typography.Text>
          <Row gutter={[16, 16]}>
            {d.tiers.map((c) => (
              <Col xs={24} lg={8} key={c.tier}>
                <Card title={t(`cultivation.tier.${c.tier}`)} data-testid={`card-${c.tier}`}>
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Space wrap>
                      <Tag color={c.eligible ? 'success' : c.eligible === false ? 'error' : 'warning'}>
                        {c.eligible
                          ? t(`cultivation.verdict.yes_${c.route}`)
                          : c.eligible === false
                            ? t('cultivation.verdict.no')
                            : t('cultivation.verdict.unknown')}
                      </Tag>
                      {c.score !== null && (
                        <Typography.Text strong>{t('cultivation.score', { score: c.score })}</Typography.Text>
                      )}
                      {c.selfReported && <Tag color="orange">{t('cultivation.selfReported')}</Tag>}
                    </Space>
                    {c.shortfalls && c.shortfalls.shortfalls.length > 0 && (
                      <List
                        size="small"
                        header={<Typography.Text strong>{t('cultivation.lacks')}</Typography.Text>}
                        dataSource={c.shortfalls.shortfalls}
                        renderItem={(s) => <List.Item>{conditionText(s, t)}</List.Item>}
                      />
                    )}
                    {c.missing.length > 0 && (
                      <Alert
                        type="warning"
                        showIcon
                        title={t('cultivation.self.missing')}
                        description={c.missing.map((m) => t(`cultivation.fact.${m}`)).join(t('cultivation.sep'))}
                      />
                    )}
                    <Table
                      size="small"
                      rowKey="id"
                      pagination={false}
                      dataSource={c.items}
                      columns={[
                        {
                          title: t('cultivation.item'),
                          dataIndex: 'id',
                          render: (v: string) => t(`cultivation.itemName.${v}`),
                        },
                        {
                          title: t('cultivation.points'),
                          key: 'p',
                          align: 'right',
                          render: (_: unknown, r: { points: number | null; max: number }) =>
                            `${r.points ?? '—'} / ${r.max}`,
                        },
                      ]}
                    />
                    {Object.keys(c.sources).length > 0 && (
                      <Descriptions size="small" column={1} title={t('cultivation.card.sources')}>
                        {Object.entries(c.sources).map(([fact, src]) => (
                          <Descriptions.Item key={fact} label={t(`cultivation.fact.${fact}`)}>
                            {t(`enterprises.source.${src}`, { defaultValue: src })}
                          </Descriptions.Item>
                        ))}
                      </Descriptions>
                    )}
                  </Space>
                </Card>
              </Col>
            ))}
          </Row>
          <Card title={t('cultivation.tabs.certs')}>
            {d.certifications.length === 0 ? (
              <Empty description={t('cultivation.certs.empty')} />
            ) : (
              <List
                dataSource={d.certifications}
                renderItem={(c) => (
                  <List.Item>
                    {t(`cultivation.tier.${c.tier}`)} · {t(`cultivation.levelName.${c.level}`)} · {c.recognisedOn} →{' '}
                    {c.validUntil}
                    {c.revokedOn ? ` · ${t('cultivation.revoked')}` : ''}
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Space>
      )}
    </PageContainer>
  );
}
