import { CheckCircleTwoTone, CloseCircleTwoTone, QuestionCircleTwoTone } from '@ant-design/icons';
import { Card, Descriptions, Empty, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EnterpriseDetail, SizeReason } from './api';
import { formatNumber } from './format';
import { AboveScaleTag, SizeTag } from './tags';

const TIERS = ['large', 'medium', 'small'] as const;

/** One line per tier: "大型：从业人员 118 < 1000（未达），营业收入 1,339.5 < 40,000（未达）→ 非大型". */
function tierLines(
  t: (k: string, o?: Record<string, unknown>) => string,
  reasons: SizeReason[],
  size: string,
): { tier: string; text: string; outcome: 'met' | 'failed' | 'unknown' }[] {
  const lines: { tier: string; text: string; outcome: 'met' | 'failed' | 'unknown' }[] = [];
  for (const tier of TIERS) {
    const rs = reasons.filter((r) => r.tier === tier);
    if (!rs.length) break;
    const parts = rs.map((r) => {
      const name = t(`enterprises.sizeIndicator.${r.indicator}`);
      if (r.value === null) return t('enterprises.sizeCard.missingPart', { name, bound: formatNumber(r.bound) });
      return t(r.met ? 'enterprises.sizeCard.metPart' : 'enterprises.sizeCard.notMetPart', {
        name,
        value: formatNumber(r.value),
        bound: formatNumber(r.bound),
      });
    });
    const failed = rs.some((r) => r.met === false);
    const unknown = rs.some((r) => r.met === null);
    const tierName = t(`enterprises.size.${tier}`);
    const outcome = failed ? 'failed' : unknown ? 'unknown' : 'met';
    const result =
      outcome === 'met'
        ? tierName
        : outcome === 'failed'
          ? t('enterprises.sizeCard.notTier', { tier: tierName })
          : t('enterprises.size.unknown');
    lines.push({ tier: tierName, text: `${parts.join(t('enterprises.sizeCard.sep'))} → ${result}`, outcome });
    if (outcome !== 'failed') break;
  }
  if (size === 'micro')
    lines.push({ tier: t('enterprises.size.micro'), text: t('enterprises.sizeCard.micro'), outcome: 'met' });
  return lines;
}

export function SizeCard({ e }: { e: EnterpriseDetail }) {
  const { t } = useTranslation();
  const s = e.size;
  return (
    <Card title={t('enterprises.sizeCard.title')} size="small" data-testid="size-card" style={{ height: '100%' }}>
      {!s ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.sizeCard.none')} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size={8}>
          <Space wrap size={8}>
            <Typography.Text strong>{t('enterprises.sizeCard.year', { year: s.year })}</Typography.Text>
            <SizeTag size={s.size} />
            <Typography.Text type="secondary">
              {t('enterprises.sizeCard.group', { group: t(`enterprises.sizeGroup.${s.decision.group}`) })}
            </Typography.Text>
          </Space>
          <List
            size="small"
            data-testid="size-reasons"
            dataSource={tierLines(t, s.decision.reasons, s.size)}
            renderItem={(l) => (
              <List.Item style={{ paddingInline: 0 }}>
                <Space align="start" size={6}>
                  {l.outcome === 'met' ? (
                    <CheckCircleTwoTone twoToneColor="#52c41a" />
                  ) : l.outcome === 'failed' ? (
                    <CloseCircleTwoTone twoToneColor="#bfbfbf" />
                  ) : (
                    <QuestionCircleTwoTone twoToneColor="#faad14" />
                  )}
                  <span>
                    <Typography.Text strong>{l.tier}</Typography.Text>
                    {t('enterprises.sizeCard.colon')}
                    {l.text}
                  </span>
                </Space>
              </List.Item>
            )}
          />
          {s.decision.missing.length ? (
            <Typography.Text type="warning" data-testid="size-missing">
              {t('enterprises.sizeCard.missing', {
                list: s.decision.missing
                  .map((m) => t(`enterprises.sizeIndicator.${m}`))
                  .join(t('enterprises.sizeCard.sep')),
              })}
            </Typography.Text>
          ) : null}
          <Descriptions
            size="small"
            column={1}
            items={[
              {
                key: 'above',
                label: t('enterprises.fields.aboveScale'),
                children: (
                  <Space wrap size={4}>
                    <AboveScaleTag above={s.aboveScale} />
                    {s.aboveScaleRule ? (
                      <Typography.Text type="secondary" data-testid="above-rule">
                        {t('enterprises.sizeCard.rule', {
                          id: s.aboveScaleRule,
                          name: t(`enterprises.aboveRule.${s.aboveScaleRule}`, { defaultValue: s.aboveScaleRule }),
                        })}
                      </Typography.Text>
                    ) : (
                      <Typography.Text type="secondary">{t('enterprises.sizeCard.noRule')}</Typography.Text>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
