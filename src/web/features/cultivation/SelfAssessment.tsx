/**
 * 梯度自评 (issue #20): a firm (or an official) types its figures and sees the score per item, the category
 * minimums, the direct routes and what it lacks. The answer comes from POST /api/v1/tools/tier-assessment.
 */
import { CheckCircleTwoTone, CloseCircleTwoTone, QuestionCircleTwoTone } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  Grid,
  InputNumber,
  List,
  Row,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Assessment, assess, type Condition, TIERS, type Tier } from './api';

type Field =
  | { key: string; kind: 'wan' | 'pct' | 'num' | 'int' }
  | { key: string; kind: 'bool' }
  | { key: string; kind: 'enum'; options: string[] };

const FIELDS: Record<Tier, Field[]> = {
  innovative_sme: [
    { key: 'revenue', kind: 'wan' },
    { key: 'mainBusinessRevenue', kind: 'wan' },
    { key: 'rdExpense', kind: 'wan' },
    { key: 'mainBusinessGrowth', kind: 'pct' },
    { key: 'debtRatio', kind: 'pct' },
    { key: 'ipClass', kind: 'enum', options: ['high_value_i', 'self_developed_i', 'i', 'ii', 'none'] },
    { key: 'strategicEmerging', kind: 'bool' },
    { key: 'validHonour', kind: 'bool' },
    { key: 'rdInstitution', kind: 'enum', options: ['national', 'provincial', 'municipal', 'below_municipal', 'none'] },
    { key: 'equityFinancing3y', kind: 'wan' },
  ],
  srdi_sme: [
    { key: 'revenue', kind: 'wan' },
    { key: 'mainBusinessRevenue', kind: 'wan' },
    { key: 'rdExpense', kind: 'wan' },
    { key: 'rdExpensePrev', kind: 'wan' },
    { key: 'mainBusinessGrowth2y', kind: 'pct' },
    { key: 'nicheYears', kind: 'num' },
    { key: 'productField', kind: 'enum', options: ['key_chain', 'six_basics', 'other'] },
    { key: 'digitalLevel', kind: 'int' },
    { key: 'qualityItems', kind: 'int' },
    { key: 'netMargin', kind: 'pct' },
    { key: 'debtRatio', kind: 'pct' },
    { key: 'localScore', kind: 'num' },
    { key: 'ipClass', kind: 'enum', options: ['high_value_i', 'self_developed_i', 'i', 'ii', 'none'] },
    { key: 'rdStaffRatio', kind: 'pct' },
    { key: 'rdInstitution', kind: 'enum', options: ['national', 'provincial', 'municipal', 'below_municipal', 'none'] },
    { key: 'equityFinancing2y', kind: 'wan' },
  ],
  little_giant: [
    { key: 'revenue', kind: 'wan' },
    { key: 'revenuePrev', kind: 'wan' },
    { key: 'mainBusinessRevenue', kind: 'wan' },
    { key: 'rdExpense', kind: 'wan' },
    { key: 'rdExpensePrev', kind: 'wan' },
    { key: 'mainBusinessGrowth2y', kind: 'pct' },
    { key: 'nicheYears', kind: 'num' },
    { key: 'debtRatio', kind: 'pct' },
    { key: 'marketShare', kind: 'pct' },
    { key: 'rdStaffRatio', kind: 'pct' },
    { key: 'classIIpCount', kind: 'int' },
    { key: 'rdInstitution', kind: 'enum', options: ['national', 'provincial', 'municipal', 'below_municipal', 'none'] },
    { key: 'equityFinancing2y', kind: 'wan' },
    { key: 'ownBrand', kind: 'bool' },
    { key: 'coreBusinessInfoSystem', kind: 'bool' },
    { key: 'certification', kind: 'bool' },
    { key: 'keyChainRole', kind: 'bool' },
    { key: 'priorityField', kind: 'bool' },
  ],
};

/** Facts with no form field here: sent as "none" so the verdict does not wait for them. */
const NONE_FACTS = { stAward: null, makerChinaTop: null };

export function formatValue(v: Condition['value'], id: string, t: (k: string) => string): string {
  if (v === null) return '—';
  if (typeof v === 'boolean') return v ? t('cultivation.yes') : t('cultivation.no');
  if (typeof v === 'number') {
    if (/score|category/.test(id)) return String(v);
    if (/years|count|rd_expense$|revenue$|equity|rd_total|rd_avg/.test(id)) return v.toLocaleString();
    return `${Math.round(v * 1000) / 10}%`;
  }
  return String(v);
}

export function conditionText(
  c: { id: string; value: Condition['value']; required: Condition['required']; op: string },
  t: (k: string, o?: Record<string, unknown>) => string,
) {
  const label = t(`cultivation.cond.${c.id}`);
  if (c.op === 'eq') return t('cultivation.lacksFlag', { label });
  return t(c.op === 'lte' ? 'cultivation.lacksLte' : 'cultivation.lacksGte', {
    label,
    value: formatValue(c.value, c.id, t),
    required: formatValue(c.required, c.id, t),
  });
}

function Verdict({ a }: { a: Assessment }) {
  const { t } = useTranslation();
  if (a.eligible === true)
    return (
      <Tag icon={<CheckCircleTwoTone twoToneColor="#52c41a" />} color="success" data-testid="tier-verdict">
        {t(`cultivation.verdict.yes_${a.route}`)}
      </Tag>
    );
  if (a.eligible === false)
    return (
      <Tag icon={<CloseCircleTwoTone twoToneColor="#ff4d4f" />} color="error" data-testid="tier-verdict">
        {t('cultivation.verdict.no')}
      </Tag>
    );
  return (
    <Tag icon={<QuestionCircleTwoTone />} color="warning" data-testid="tier-verdict">
      {t('cultivation.verdict.unknown')}
    </Tag>
  );
}

export function SelfAssessment() {
  const { t } = useTranslation();
  const [tier, setTier] = useState<Tier>('srdi_sme');
  const narrow = !Grid.useBreakpoint().sm;
  const [form] = Form.useForm();
  const run = useMutation({ mutationFn: (facts: Record<string, unknown>) => assess(tier, facts) });
  const submit = (values: Record<string, unknown>) => {
    const facts: Record<string, unknown> = { ...NONE_FACTS };
    for (const f of FIELDS[tier]) {
      const v = values[f.key];
      if (v === undefined || v === null || v === '') continue;
      facts[f.key] = f.kind === 'pct' ? Number(v) / 100 : v;
    }
    if (tier === 'innovative_sme') delete facts.makerChinaTop;
    run.mutate(facts);
  };
  const a = run.data;
  const lacking = a ? a.conditions.filter((c) => c.met === false && (c.kind === 'required' || c.kind === 'score')) : [];
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Card title={t('cultivation.self.formTitle')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Segmented
              data-testid="tier-select"
              block
              vertical={narrow}
              value={tier}
              options={TIERS.map((x) => ({ value: x, label: t(`cultivation.tier.${x}`) }))}
              onChange={(v) => {
                setTier(v as Tier);
                run.reset();
              }}
            />
            <Typography.Text type="secondary">{t('cultivation.self.hint')}</Typography.Text>
            <Form form={form} layout="vertical" onFinish={submit} key={tier}>
              <Row gutter={12}>
                {FIELDS[tier].map((f) => (
                  <Col xs={24} sm={12} key={f.key}>
                    <Form.Item
                      name={f.key}
                      label={t(`cultivation.fact.${f.key}`)}
                      valuePropName={f.kind === 'bool' ? 'checked' : 'value'}
                    >
                      {f.kind === 'bool' ? (
                        <Switch data-testid={`fact-${f.key}`} />
                      ) : f.kind === 'enum' ? (
                        <Select
                          data-testid={`fact-${f.key}`}
                          allowClear
                          options={f.options.map((o) => ({ value: o, label: t(`cultivation.option.${o}`) }))}
                        />
                      ) : (
                        <InputNumber
                          data-testid={`fact-${f.key}`}
                          style={{ width: '100%' }}
                          min={
                            f.kind === 'pct' &&
                            f.key !== 'mainBusinessGrowth' &&
                            f.key !== 'mainBusinessGrowth2y' &&
                            f.key !== 'netMargin'
                              ? 0
                              : f.kind === 'pct'
                                ? -100
                                : 0
                          }
                          precision={f.kind === 'int' ? 0 : undefined}
                          addonAfter={f.kind === 'wan' ? t('cultivation.unit.wan') : f.kind === 'pct' ? '%' : undefined}
                        />
                      )}
                    </Form.Item>
                  </Col>
                ))}
              </Row>
              <Button type="primary" htmlType="submit" data-testid="assess-submit" loading={run.isPending} block>
                {t('cultivation.self.submit')}
              </Button>
            </Form>
            {run.error && <Alert type="error" showIcon title={run.error.message} />}
          </Space>
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('cultivation.self.resultTitle')} data-testid="assess-result">
          {!a ? (
            <Typography.Text type="secondary">{t('cultivation.self.empty')}</Typography.Text>
          ) : (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <Verdict a={a} />
                {a.score !== null && (
                  <Typography.Text strong data-testid="tier-score">
                    {t('cultivation.score', { score: a.score })}
                  </Typography.Text>
                )}
              </Space>
              {lacking.length > 0 && (
                <List
                  size="small"
                  header={<Typography.Text strong>{t('cultivation.self.lacks')}</Typography.Text>}
                  dataSource={lacking}
                  data-testid="tier-lacks"
                  renderItem={(c) => <List.Item>{conditionText(c, t)}</List.Item>}
                />
              )}
              {a.missing.length > 0 && (
                <Alert
                  type="warning"
                  showIcon
                  data-testid="tier-missing"
                  title={t('cultivation.self.missing')}
                  description={a.missing.map((m) => t(`cultivation.fact.${m}`)).join(t('cultivation.sep'))}
                />
              )}
              {a.score !== null || tier !== 'little_giant' ? (
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={a.items}
                  columns={[
                    {
                      title: t('cultivation.item'),
                      dataIndex: 'id',
                      render: (id: string) => t(`cultivation.itemName.${id}`),
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
              ) : null}
              {Object.keys(a.categories).length > 0 && (
                <Space wrap>
                  {Object.entries(a.categories).map(([k, c]) => (
                    <Tag key={k} color={c.met === false ? 'error' : c.met === true ? 'success' : 'default'}>
                      {t(`cultivation.category.${k}`)}
                      {c.points !== null ? ` ${c.points}/${c.max}` : ''}
                      {c.min !== null ? ` (≥${c.min})` : ''}
                    </Tag>
                  ))}
                </Space>
              )}
            </Space>
          )}
        </Card>
      </Col>
    </Row>
  );
}
