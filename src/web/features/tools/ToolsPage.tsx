/**
 * 计算工具 (issue #15): the USCC check and the enterprise size class (with 规上), for officials and firms. The same
 * two cards serve /tools inside the shell and /p/tools without login. Results come from the server as sentences in
 * the UI language; a language switch refetches them (LanguageSwitch invalidates every query).
 */
import { CheckCircleTwoTone, CloseCircleTwoTone, QuestionCircleTwoTone } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Layout,
  List,
  Row,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { type Indicator as DomainIndicator, SIZE_GROUPS, SIZE_TABLE } from '../../../domain/enterprise-size.ts';
import { isApiError } from '../../app/api';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { Logo } from '../../components/Logo';
import { PageContainer } from '../../components/PageContainer';
import { checkUscc, classifySize, type SizeAnswer, type SizeInput } from './api';

const SIZE_COLORS: Record<SizeAnswer['size'], string> = {
  large: 'purple',
  medium: 'blue',
  small: 'cyan',
  micro: 'green',
  unknown: 'default',
};

const NUMBER_FIELDS = ['employees', 'revenue', 'assets', 'mainBusinessRevenue'] as const;

/** The server's localized message; for 429 also when to try again. */
function ErrorAlert({ error, testId }: { error: Error; testId: string }) {
  const { t } = useTranslation();
  const seconds = isApiError(error)
    ? (error.details as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds
    : undefined;
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      title={error.message}
      description={typeof seconds === 'number' ? t('tools.retryAfter', { seconds }) : undefined}
    />
  );
}

function UsccCard() {
  const { t } = useTranslation();
  const [code, setCode] = useState<string | null>(null);
  const answer = useQuery({
    queryKey: ['tools', 'uscc', code],
    queryFn: () => checkUscc(code ?? ''),
    enabled: code !== null,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  const r = answer.data;
  return (
    <Card title={t('tools.uscc.title')} data-testid="uscc-card" style={{ height: '100%' }}>
      <Typography.Paragraph type="secondary">{t('tools.uscc.hint')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={(v: { code: string }) => setCode(v.code)} requiredMark={false}>
        <Form.Item
          name="code"
          label={t('tools.uscc.label')}
          rules={[{ required: true, whitespace: true, message: t('tools.uscc.required') }]}
        >
          <Input
            placeholder={t('tools.uscc.placeholder')}
            allowClear
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            data-testid="uscc-input"
            style={{ fontFamily: 'monospace' }}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={answer.isFetching} data-testid="uscc-submit">
          {t('tools.uscc.submit')}
        </Button>
      </Form>
      {answer.isError ? (
        <div style={{ marginTop: 16 }}>
          <ErrorAlert error={answer.error} testId="uscc-error" />
        </div>
      ) : null}
      {r ? (
        <Space orientation="vertical" size={12} style={{ width: '100%', marginTop: 16 }} data-testid="uscc-result">
          <Space wrap size={8} align="center">
            <Tag
              color={r.valid ? 'success' : 'error'}
              data-testid="uscc-verdict"
              style={{ fontSize: 14, padding: '2px 10px' }}
            >
              {r.valid ? t('tools.uscc.valid') : t('tools.uscc.invalid')}
            </Tag>
            <Typography.Text type="secondary">{t('tools.uscc.normalized')}</Typography.Text>
            <Typography.Text
              code
              copyable={!!r.normalized}
              data-testid="uscc-normalized"
              style={{ wordBreak: 'break-all' }}
            >
              {r.normalized || '—'}
            </Typography.Text>
          </Space>
          {r.errors.length ? (
            <Alert
              type="error"
              showIcon
              title={t('tools.uscc.errors')}
              data-testid="uscc-errors"
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {r.errors.map((e) => (
                    <li key={e}>{e}</li>
                  ))}
                </ul>
              }
            />
          ) : null}
          {r.warnings.length ? (
            <Alert
              type="warning"
              showIcon
              title={t('tools.uscc.warnings')}
              data-testid="uscc-warnings"
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {r.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              }
            />
          ) : null}
          {r.valid && !r.warnings.length ? (
            <Alert type="success" showIcon title={t('tools.uscc.allGood')} data-testid="uscc-ok" />
          ) : null}
        </Space>
      ) : null}
    </Card>
  );
}

type SizeForm = {
  mode: 'group' | 'code';
  group?: string;
  code?: string;
} & Partial<Record<(typeof NUMBER_FIELDS)[number], number | null>>;

function SizeResult({ r }: { r: SizeAnswer }) {
  const { t } = useTranslation();
  const indicatorName = (i: string) => t(`tools.size.${i}`);
  const sep = t('tools.sep');
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="size-result">
      <Space wrap size={8} align="center">
        <Tag color={SIZE_COLORS[r.size]} data-testid="size-label" style={{ fontSize: 16, padding: '4px 12px' }}>
          {t(`tools.size.sizes.${r.size}`)}
        </Tag>
        <Typography.Text type="secondary" data-testid="size-group">
          {r.rule.industryCode
            ? t('tools.size.groupOfCode', {
                code: r.rule.industryCode,
                name: r.rule.industryName ?? '',
                group: r.rule.groupName,
              })
            : t('tools.size.group', { group: r.rule.groupName })}
        </Typography.Text>
      </Space>
      <List
        size="small"
        bordered
        data-testid="size-rule"
        dataSource={r.rule.tiers}
        renderItem={(tier) => (
          <List.Item>
            <Space align="start" size={8}>
              {tier.outcome === 'met' ? (
                <CheckCircleTwoTone twoToneColor="#52c41a" />
              ) : tier.outcome === 'failed' ? (
                <CloseCircleTwoTone twoToneColor="#bfbfbf" />
              ) : (
                <QuestionCircleTwoTone twoToneColor="#faad14" />
              )}
              <span>{tier.text}</span>
            </Space>
          </List.Item>
        )}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {r.rule.principle}
      </Typography.Text>
      {r.missing.length ? (
        <Alert
          type={r.size === 'unknown' ? 'warning' : 'info'}
          showIcon
          data-testid="size-missing"
          title={t('tools.size.missing', { list: r.missing.map(indicatorName).join(sep) })}
          description={r.size === 'unknown' ? t('tools.size.missingDecides') : t('tools.size.missingIrrelevant')}
        />
      ) : null}
      {r.aboveScaleRule ? (
        <div data-testid="above-scale">
          <Space wrap size={8}>
            <Typography.Text strong>{t('tools.size.aboveScale')}</Typography.Text>
            <Tag color={r.aboveScale ? 'gold' : undefined} data-testid="above-scale-tag">
              {r.aboveScale === null || r.aboveScale === undefined
                ? t('tools.size.above.unknown')
                : r.aboveScale
                  ? t('tools.size.above.yes')
                  : t('tools.size.above.no')}
            </Tag>
          </Space>
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            {r.aboveScaleRule.text}
          </Typography.Paragraph>
        </div>
      ) : null}
      <Table
        size="small"
        pagination={false}
        rowKey="indicator"
        data-testid="size-thresholds"
        title={() => t('tools.size.thresholds', { group: r.rule.groupName })}
        dataSource={r.rule.thresholds}
        columns={[
          { key: 'indicator', title: t('tools.size.indicator'), render: (_, x) => indicatorName(x.indicator) },
          ...(['large', 'medium', 'small'] as const).map((tier) => ({
            key: tier,
            title: t(`tools.size.sizes.${tier}`),
            align: 'right' as const,
            onCell: () => ({ style: { whiteSpace: 'nowrap' as const } }),
            render: (_: unknown, x: SizeAnswer['rule']['thresholds'][number]) => x[tier].toLocaleString(),
          })),
        ]}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('tools.size.source', { standard: r.rule.standard })}
      </Typography.Text>
    </Space>
  );
}

function SizeCard() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SizeForm>();
  const mode = Form.useWatch('mode', form) ?? 'group';
  const group = Form.useWatch('group', form);
  const [input, setInput] = useState<SizeInput | null>(null);
  const answer = useQuery({
    queryKey: ['tools', 'size', input],
    queryFn: () => classifySize(input!),
    enabled: input !== null,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  const groupIndicators =
    mode === 'group' && group && group in SIZE_TABLE
      ? (Object.keys(SIZE_TABLE[group as keyof typeof SIZE_TABLE]) as DomainIndicator[])
      : null;

  const submit = (v: SizeForm) => {
    const next: SizeInput = { industry: (mode === 'group' ? v.group : v.code)?.trim() ?? '' };
    for (const f of NUMBER_FIELDS) {
      const n = v[f];
      if (typeof n === 'number') next[f] = n;
    }
    setInput(next);
  };

  return (
    <Card title={t('tools.size.title')} data-testid="size-card" style={{ height: '100%' }}>
      <Typography.Paragraph type="secondary">{t('tools.size.hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ mode: 'group' }} requiredMark={false}>
        <Form.Item name="mode" style={{ marginBottom: 8 }}>
          <Segmented
            data-testid="size-mode"
            options={[
              { value: 'group', label: t('tools.size.mode.group') },
              { value: 'code', label: t('tools.size.mode.code') },
            ]}
          />
        </Form.Item>
        {mode === 'group' ? (
          <Form.Item
            name="group"
            label={t('tools.size.industry')}
            rules={[{ required: true, message: t('tools.size.industryRequired') }]}
            extra={
              groupIndicators
                ? t('tools.size.usesIndicators', {
                    list: groupIndicators.map((i) => t(`tools.size.${i}`)).join(t('tools.sep')),
                  })
                : undefined
            }
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('tools.size.groupPlaceholder')}
              data-testid="size-group-select"
              options={SIZE_GROUPS.map((g) => ({ value: g, label: t(`tools.groups.${g}`) }))}
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="code"
            label={t('tools.size.industryCode')}
            rules={[{ required: true, whitespace: true, message: t('tools.size.industryRequired') }]}
          >
            <Input
              placeholder={t('tools.size.codePlaceholder')}
              maxLength={40}
              autoComplete="off"
              allowClear
              data-testid="size-code-input"
            />
          </Form.Item>
        )}
        <Row gutter={12}>
          {NUMBER_FIELDS.map((f) => (
            <Col xs={24} sm={12} key={f}>
              <Form.Item
                name={f}
                label={t(`tools.size.${f}`)}
                extra={f === 'mainBusinessRevenue' ? t('tools.size.mainBusinessRevenueHint') : undefined}
              >
                <InputNumber min={0} style={{ width: '100%' }} data-testid={`size-${f}`} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Button type="primary" htmlType="submit" loading={answer.isFetching} data-testid="size-submit">
          {t('tools.size.submit')}
        </Button>
      </Form>
      {answer.isError ? (
        <div style={{ marginTop: 16 }}>
          <ErrorAlert error={answer.error} testId="size-error" />
        </div>
      ) : null}
      {answer.data && !answer.isError ? (
        <div style={{ marginTop: 16 }}>
          <SizeResult r={answer.data} />
        </div>
      ) : null}
    </Card>
  );
}

/** The two calculators, side by side on a wide screen, stacked on a phone. */
export function ToolCards() {
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={10}>
        <UsccCard />
      </Col>
      <Col xs={24} xl={14}>
        <SizeCard />
      </Col>
    </Row>
  );
}

export default function ToolsPage() {
  const { t } = useTranslation();
  return (
    <PageContainer title={t('tools.title')}>
      <Typography.Paragraph type="secondary">{t('tools.intro')}</Typography.Paragraph>
      <ToolCards />
    </PageContainer>
  );
}

/** /p/tools: the same calculators without login, in a plain header (like the public policy pages). */
export function PublicToolsPage() {
  const { t } = useTranslation();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          background: '#fff',
          display: 'flex',
          alignItems: 'center',
          gap: 12,
          paddingInline: 16,
          borderBottom: '1px solid #f0f0f0',
        }}
      >
        <Link to="/p/tools" style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
          <Logo />
          <Typography.Text strong ellipsis>
            {t('tools.title')}
          </Typography.Text>
        </Link>
        <div style={{ flex: 1 }} />
        <LanguageSwitch compact />
        <Link to="/login">{t('tools.public.login')}</Link>
      </Layout.Header>
      <Layout.Content style={{ padding: 16, maxWidth: 1280, width: '100%', margin: '0 auto' }}>
        <Typography.Paragraph type="secondary">{t('tools.intro')}</Typography.Paragraph>
        <ToolCards />
      </Layout.Content>
    </Layout>
  );
}
