/**
 * Policy editor (create / edit a draft or a policy under review): basic fields, the body with a preview, and the
 * clauses — each with the visual rule editor, the amount formula, example cases and the simulator (政策沙盘).
 */
import { ExperimentOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Drawer,
  Form,
  Input,
  InputNumber,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Tabs,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, fieldErrorsOf, isApiError, newIdempotencyKey } from '../../app/api';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import {
  BENEFIT_TYPES,
  CHANNELS,
  type Clause,
  LEVELS,
  MIN_SOURCES,
  type PolicyDetail,
  policiesKey,
  policyKey,
  useIssuers,
  usePolicy,
} from './api';
import { ExamplesTable } from './ExamplesTable';
import { FormulaInput } from './FormulaInput';
import { RuleEditor } from './RuleEditor';
import { SimulatorPanel } from './SimulatorPanel';

interface BasicFields {
  title: string;
  docNo?: string;
  issuerOrgId?: string;
  level: PolicyDetail['level'];
  channel: PolicyDetail['channel'];
  effectiveFrom?: string;
  expiresOn?: string;
  applyFrom?: string;
  applyTo?: string;
  summary?: string;
  bodyHtml?: string;
  tags?: string[];
  budgetCapYuan?: number | null;
  publicityDays?: number;
  publicityDayMode?: 'calendar' | 'working';
}

const BASIC_KEYS: (keyof BasicFields)[] = [
  'title',
  'docNo',
  'issuerOrgId',
  'level',
  'channel',
  'effectiveFrom',
  'expiresOn',
  'applyFrom',
  'applyTo',
  'summary',
  'bodyHtml',
  'tags',
  'budgetCapYuan',
  'publicityDays',
  'publicityDayMode',
];

export function newClause(n: number): Clause {
  return {
    title: '',
    benefitType: 'subsidy',
    eligibility: { all: [] },
    amountFormula: null,
    capYuan: null,
    floorYuan: null,
    oncePerEnterprise: true,
    stackingGroup: null,
    dataSources: [],
    needsConsent: false,
    factsYear: 'previous',
    minSource: null,
    examples: [],
    ordinal: n,
  };
}

/** The clause as the API takes it (server-computed fields left out: the API rejects unknown keys). */
function clauseBody(c: Clause) {
  const { description: _d, ordinal: _o, ...rest } = c;
  return {
    ...rest,
    minSource: c.minSource ?? null,
    capYuan: c.capYuan === null || c.capYuan === '' ? null : Number(c.capYuan),
    floorYuan: c.floorYuan === null || c.floorYuan === '' ? null : Number(c.floorYuan),
    amountFormula: c.amountFormula?.trim() ? c.amountFormula.trim() : null,
    stackingGroup: c.stackingGroup?.trim() ? c.stackingGroup.trim() : null,
    examples: c.examples.map(({ actual: _a, passed: _p, mismatches: _m, ...e }) => e),
  };
}

const NULLABLE = new Set<keyof BasicFields>(['effectiveFrom', 'expiresOn', 'applyFrom', 'applyTo', 'budgetCapYuan']);

const empty = (v: unknown) => v === undefined || v === null || v === '';

export default function EditorPage() {
  const { id } = useParams<{ id: string }>();
  const policy = usePolicy(id);
  if (id && policy.isPending) return <Skeleton active />;
  if (id && policy.isError) return <QueryError error={policy.error} onRetry={() => void policy.refetch()} />;
  return <Editor key={id ?? 'new'} policy={policy.data} />;
}

function Editor({ policy }: { policy?: PolicyDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<BasicFields>();
  const issuers = useIssuers();
  const [clauses, setClauses] = useState<Clause[]>(() => policy?.clauses ?? [newClause(1)]);
  const [active, setActive] = useState('0');
  const [simulating, setSimulating] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const [preview, setPreview] = useState(false);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const editable = !policy || policy.status === 'draft' || policy.status === 'review';
  const bodyHtml = Form.useWatch('bodyHtml', form);

  useEffect(() => {
    if (!policy) return;
    const values: Record<string, unknown> = {};
    for (const k of BASIC_KEYS) {
      const v = (policy as unknown as Record<string, unknown>)[k];
      values[k] = k === 'budgetCapYuan' && !empty(v) ? Number(v) : (v ?? undefined);
    }
    form.setFieldsValue(values as unknown as BasicFields);
  }, [policy, form]);

  const setClause = (i: number, patch: Partial<Clause>) =>
    setClauses((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  const save = async () => {
    let values: BasicFields;
    try {
      values = await form.validateFields();
    } catch {
      void message.error(t('policies.editor.fixFields'));
      return;
    }
    const body: Record<string, unknown> = {};
    for (const k of BASIC_KEYS) {
      const v = values[k];
      // dates and the budget may be cleared (null); empty texts are left out
      if (!empty(v)) body[k] = v;
      else if (NULLABLE.has(k)) body[k] = null;
    }
    body.tags = values.tags ?? [];
    body.publicityDays = values.publicityDays ?? 5;
    body.publicityDayMode = values.publicityDayMode ?? 'working';
    const issuer = (issuers.data ?? []).find((i) => i.id === values.issuerOrgId);
    if (issuer) body.issuerName = issuer.name;
    body.clauses = clauses.map(clauseBody);
    if (clauses.some((c) => !c.title.trim())) {
      void message.error(t('policies.editor.clauseTitleRequired'));
      return;
    }
    setSaving(true);
    try {
      let saved: { id: string };
      if (policy) {
        saved = await api.put<PolicyDetail>(`/policies/${policy.id}`, { ...body, version: policy.version });
      } else {
        saved = await api.post<PolicyDetail>('/policies', body, { headers: { 'Idempotency-Key': idempotencyKey } });
      }
      await queryClient.invalidateQueries({ queryKey: policiesKey });
      void message.success(t('policies.editor.saved'));
      navigate(`/policies/${saved.id}`);
    } catch (e) {
      const fields = fieldErrorsOf(e);
      const basic = fields.filter((f) => (BASIC_KEYS as string[]).includes(f.name));
      if (basic.length) form.setFields(basic.map((f) => ({ name: f.name as keyof BasicFields, errors: [f.message] })));
      const clauseErrors = fields.filter((f) => f.name.startsWith('clauses'));
      const detail = clauseErrors.length ? ` (${clauseErrors.map((f) => `${f.name}: ${f.message}`).join('; ')})` : '';
      void message.error(
        isApiError(e) && e.status === 409
          ? t('policies.editor.conflict')
          : `${e instanceof Error ? e.message : t('errors.unknown')}${detail}`,
      );
      if (isApiError(e) && e.status === 409 && policy)
        await queryClient.invalidateQueries({ queryKey: policyKey(policy.id) });
    } finally {
      setSaving(false);
    }
  };

  if (!editable)
    return (
      <Result
        status="info"
        title={t('policies.editor.notEditable')}
        extra={
          <Link to={`/policies/${policy?.id}`}>
            <Button>{t('policies.editor.backToDetail')}</Button>
          </Link>
        }
      />
    );

  const issuerOptions = (issuers.data ?? []).map((i) => ({ value: i.id, label: i.name }));

  return (
    <PageContainer
      title={policy ? t('policies.editor.editTitle', { title: policy.title }) : t('policies.editor.newTitle')}
      extra={
        <Space wrap>
          {policy ? (
            <Link to={`/policies/${policy.id}`}>
              <Button>{t('common.cancel')}</Button>
            </Link>
          ) : null}
          <Button
            type="primary"
            icon={<SaveOutlined />}
            loading={saving}
            onClick={() => void save()}
            data-testid="policy-save"
          >
            {t('policies.editor.save')}
          </Button>
        </Space>
      }
    >
      <Card title={t('policies.editor.basic')} style={{ marginBottom: 16 }}>
        <Form<BasicFields>
          form={form}
          layout="vertical"
          name="policy"
          initialValues={{
            level: 'municipal',
            channel: 'ordinary',
            publicityDays: 5,
            publicityDayMode: 'working',
            tags: [],
          }}
        >
          <Row gutter={16}>
            <Col xs={24} lg={16}>
              <Form.Item
                name="title"
                label={t('policies.fields.title')}
                rules={[{ required: true, whitespace: true, message: t('policies.editor.titleRequired') }]}
              >
                <Input maxLength={200} data-testid="policy-title" />
              </Form.Item>
            </Col>
            <Col xs={24} lg={8}>
              <Form.Item name="docNo" label={t('policies.fields.docNo')}>
                <Input maxLength={100} placeholder={t('policies.editor.docNoHint')} data-testid="policy-docno" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} lg={8}>
              <Form.Item
                name="issuerOrgId"
                label={t('policies.fields.issuer')}
                rules={[{ required: true, message: t('policies.editor.issuerRequired') }]}
              >
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={issuers.isLoading}
                  options={issuerOptions}
                  data-testid="policy-issuer"
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} lg={4}>
              <Form.Item name="level" label={t('policies.fields.level')} rules={[{ required: true }]}>
                <Select options={LEVELS.map((l) => ({ value: l, label: t(`policies.level.${l}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} lg={4}>
              <Form.Item name="channel" label={t('policies.fields.channel')} rules={[{ required: true }]}>
                <Select
                  options={CHANNELS.map((c) => ({ value: c, label: t(`policies.channel.${c}`) }))}
                  data-testid="policy-channel"
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} lg={4}>
              <Form.Item name="budgetCapYuan" label={t('policies.fields.budgetCapYuan')}>
                <InputNumber min={0} style={{ width: '100%' }} suffix={t('policies.unit.yuan')} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} lg={4}>
              <Form.Item name="publicityDays" label={t('policies.fields.publicityDays')}>
                <InputNumber min={0} max={60} style={{ width: '100%' }} suffix={t('policies.unit.days')} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} lg={4}>
              <Form.Item name="publicityDayMode" label={t('policies.fields.publicityDayMode')}>
                <Select
                  data-testid="policy-publicity-mode"
                  options={(['calendar', 'working'] as const).map((m) => ({
                    value: m,
                    label: t(`policies.publicityDayMode.${m}`),
                  }))}
                />
              </Form.Item>
            </Col>
            {(['effectiveFrom', 'expiresOn', 'applyFrom', 'applyTo'] as const).map((k) => (
              <Col xs={12} md={6} key={k}>
                <Form.Item name={k} label={t(`policies.fields.${k}`)}>
                  <Input type="date" data-testid={`policy-${k}`} />
                </Form.Item>
              </Col>
            ))}
            <Col xs={24}>
              <Form.Item name="tags" label={t('policies.fields.tags')}>
                <Select mode="tags" open={false} placeholder={t('policies.editor.tagsHint')} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="summary" label={t('policies.fields.summary')}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} showCount />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item
                name="bodyHtml"
                label={
                  <Space>
                    {t('policies.fields.body')}
                    <Button
                      size="small"
                      type="link"
                      onClick={() => setPreview((p) => !p)}
                      data-testid="body-preview-toggle"
                    >
                      {preview ? t('policies.editor.hidePreview') : t('policies.editor.preview')}
                    </Button>
                  </Space>
                }
                extra={t('policies.editor.bodyHint')}
              >
                <Input.TextArea autoSize={{ minRows: 4, maxRows: 16 }} style={{ fontFamily: 'monospace' }} />
              </Form.Item>
              {preview ? (
                // A sandboxed frame without scripts: what is typed can never run here; the server sanitises on save.
                <iframe
                  title={t('policies.editor.preview')}
                  sandbox=""
                  srcDoc={`<!doctype html><meta charset="utf-8"><body style="font-family:sans-serif;font-size:14px">${bodyHtml ?? ''}</body>`}
                  style={{ width: '100%', minHeight: 200, border: '1px solid #f0f0f0', borderRadius: 6 }}
                  data-testid="body-preview"
                />
              ) : null}
            </Col>
          </Row>
        </Form>
      </Card>

      <Card
        title={t('policies.editor.clauses')}
        extra={
          <Button
            icon={<PlusOutlined />}
            onClick={() => {
              setClauses((cs) => [...cs, newClause(cs.length + 1)]);
              setActive(String(clauses.length));
            }}
            data-testid="clause-add"
          >
            {t('policies.editor.addClause')}
          </Button>
        }
      >
        <Tabs
          type="editable-card"
          hideAdd
          activeKey={active}
          onChange={setActive}
          onEdit={(key, action) => {
            if (action !== 'remove' || clauses.length <= 1) return;
            const i = Number(key);
            setClauses((cs) => cs.filter((_, j) => j !== i));
            setActive('0');
          }}
          items={clauses.map((c, i) => ({
            key: String(i),
            closable: clauses.length > 1,
            label: c.title || t('policies.editor.clauseN', { n: i + 1 }),
            children: (
              <ClauseEditor
                clause={c}
                policyId={policy?.id}
                onChange={(patch) => setClause(i, patch)}
                onSimulate={() => setSimulating(i)}
                index={i}
              />
            ),
          }))}
        />
      </Card>
      <Drawer
        open={simulating !== null}
        onClose={() => setSimulating(null)}
        title={t('policies.sim.title')}
        size="large"
        styles={{ wrapper: { width: 'min(960px, 100vw)' } }}
        destroyOnHidden
      >
        {simulating !== null && clauses[simulating] ? <SimulatorPanel clause={clauses[simulating]} autoRun /> : null}
      </Drawer>
    </PageContainer>
  );
}

function ClauseEditor({
  clause,
  policyId,
  onChange,
  onSimulate,
  index,
}: {
  clause: Clause;
  policyId?: string;
  onChange: (patch: Partial<Clause>) => void;
  onSimulate: () => void;
  index: number;
}) {
  const { t } = useTranslation();
  return (
    <div data-testid={`clause-${index}`}>
      <Row gutter={[16, 8]}>
        <Col xs={24} md={12}>
          <Typography.Text>{t('policies.clause.title')}</Typography.Text>
          <Input
            value={clause.title}
            onChange={(e) => onChange({ title: e.target.value })}
            maxLength={200}
            data-testid="clause-title"
          />
        </Col>
        <Col xs={12} md={6}>
          <Typography.Text>{t('policies.clause.benefitType')}</Typography.Text>
          <Select
            value={clause.benefitType}
            onChange={(benefitType) => onChange({ benefitType })}
            style={{ width: '100%' }}
            options={BENEFIT_TYPES.map((b) => ({ value: b, label: t(`policies.benefit.${b}`) }))}
          />
        </Col>
        <Col xs={12} md={6}>
          <Typography.Text>{t('policies.clause.factsYear')}</Typography.Text>
          <Select
            value={clause.factsYear}
            onChange={(factsYear) => onChange({ factsYear })}
            style={{ width: '100%' }}
            options={(['previous', 'current'] as const).map((y) => ({ value: y, label: t(`policies.factsYear.${y}`) }))}
          />
        </Col>
        <Col xs={24}>
          <Space wrap size="large">
            <Checkbox checked={clause.needsConsent} onChange={(e) => onChange({ needsConsent: e.target.checked })}>
              {t('policies.clause.needsConsent')}
            </Checkbox>
            <Checkbox
              checked={clause.oncePerEnterprise}
              onChange={(e) => onChange({ oncePerEnterprise: e.target.checked })}
            >
              {t('policies.clause.oncePerEnterprise')}
            </Checkbox>
            <Space>
              {t('policies.clause.stackingGroup')}
              <Input
                size="small"
                value={clause.stackingGroup ?? ''}
                onChange={(e) => onChange({ stackingGroup: e.target.value || null })}
                style={{ width: 140 }}
                placeholder={t('policies.clause.stackingHint')}
              />
            </Space>
          </Space>
        </Col>
        <Col xs={24} md={8}>
          <Typography.Text>{t('policies.clause.minSource')}</Typography.Text>
          <Select
            value={clause.minSource ?? 'any'}
            onChange={(v: string) => onChange({ minSource: v === 'any' ? null : (v as Clause['minSource']) })}
            style={{ width: '100%' }}
            options={(['any', ...MIN_SOURCES] as const).map((m) => ({
              value: m,
              label: t(`policies.minSource.${m}`),
            }))}
            data-testid="clause-min-source"
          />
          {clause.minSource ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('policies.clause.minSourceHint')}
            </Typography.Text>
          ) : null}
        </Col>
        <Col xs={24} md={16}>
          <Typography.Text>{t('policies.clause.dataSources')}</Typography.Text>
          <Select
            mode="tags"
            open={false}
            value={clause.dataSources}
            onChange={(dataSources: string[]) => onChange({ dataSources })}
            style={{ width: '100%' }}
            placeholder={t('policies.clause.dataSourcesHint')}
          />
        </Col>
      </Row>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('policies.clause.eligibility')}
      </Typography.Title>
      <RuleEditor value={clause.eligibility} onChange={(eligibility) => onChange({ eligibility })} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('policies.clause.amount')}
      </Typography.Title>
      <FormulaInput clause={clause} onChange={onChange} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('policies.clause.examples')}
      </Typography.Title>
      <ExamplesTable clause={clause} policyId={policyId} onChange={(examples) => onChange({ examples })} />
      <div style={{ marginTop: 16 }}>
        <Button type="primary" ghost icon={<ExperimentOutlined />} onClick={onSimulate} data-testid="simulate-open">
          {t('policies.sim.open')}
        </Button>
      </div>
    </div>
  );
}
