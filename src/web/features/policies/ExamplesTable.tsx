/**
 * A clause's example cases (facts → expected eligibility and amount), as OpenFisca's YAML tests: edited here, and
 * run through the server's evaluate endpoint (POST /policies/:id/evaluate) for a saved clause: pass / fail.
 */
import {
  CheckCircleTwoTone,
  CloseCircleTwoTone,
  DeleteOutlined,
  EditOutlined,
  PlayCircleOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Empty, Form, Input, Modal, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import type { Clause, ClauseEvaluation, Example, Verdict } from './api';
import { formatYuan } from './api';

interface Outcome {
  eligible: Verdict;
  amount: string | null;
  pass: boolean;
  missing: string[];
}

const sameAmount = (a: string | null, b: string | null) =>
  (a === null && b === null) || (a !== null && b !== null && Number(a) === Number(b));

export function VerdictTag({ value }: { value: Verdict | undefined }) {
  const { t } = useTranslation();
  if (value === true) return <Tag color="success">{t('policies.verdict.eligible')}</Tag>;
  if (value === false) return <Tag color="default">{t('policies.verdict.ineligible')}</Tag>;
  return <Tag color="warning">{t('policies.verdict.unknown')}</Tag>;
}

export function ExamplesTable({
  clause,
  policyId,
  onChange,
  readOnly = false,
}: {
  clause: Clause;
  policyId?: string;
  onChange?: (examples: Example[]) => void;
  readOnly?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<number | null>(null);
  const [outcomes, setOutcomes] = useState<Record<number, Outcome>>({});
  const [running, setRunning] = useState(false);
  const canRun = !!policyId && !!clause.id;

  const run = async () => {
    if (!policyId || !clause.id) return;
    setRunning(true);
    try {
      const next: Record<number, Outcome> = {};
      for (const [i, e] of clause.examples.entries()) {
        const res = await api.post<{ clauses: ClauseEvaluation[] }>(`/policies/${policyId}/evaluate`, {
          facts: e.facts,
          ...(e.asOf ? { asOf: e.asOf } : {}),
        });
        const c = res.clauses.find((x) => x.clauseId === clause.id);
        if (!c) continue;
        next[i] = {
          eligible: c.eligible,
          amount: c.amount,
          missing: c.missing ?? [],
          pass: c.eligible === e.expected.eligible && sameAmount(c.amount, e.expected.amount),
        };
      }
      setOutcomes(next);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setRunning(false);
    }
  };

  const outcomeOf = (i: number, e: Example): Outcome | null => {
    const o = outcomes[i];
    if (o) return o;
    if (e.actual && typeof e.passed === 'boolean')
      return { eligible: e.actual.eligible, amount: e.actual.amount, pass: e.passed, missing: e.actual.missing ?? [] };
    return null;
  };

  const examples = clause.examples;
  const save = (ex: Example) => {
    if (!onChange || editing === null) return;
    onChange(editing >= examples.length ? [...examples, ex] : examples.map((x, i) => (i === editing ? ex : x)));
    setOutcomes({});
    setEditing(null);
  };

  return (
    <div data-testid="examples">
      <Space style={{ marginBottom: 8 }} wrap>
        {!readOnly ? (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setEditing(examples.length)}
            data-testid="example-add"
          >
            {t('policies.examples.add')}
          </Button>
        ) : null}
        <Tooltip title={canRun ? undefined : t('policies.examples.saveFirst')}>
          <Button
            size="small"
            icon={<PlayCircleOutlined />}
            disabled={!canRun || examples.length === 0}
            loading={running}
            onClick={() => void run()}
            data-testid="examples-run"
          >
            {t('policies.examples.run')}
          </Button>
        </Tooltip>
      </Space>
      <Table<Example>
        size="small"
        rowKey={(_, i) => String(i)}
        pagination={false}
        dataSource={examples}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policies.examples.empty')} />,
        }}
        columns={[
          { title: t('policies.examples.name'), dataIndex: 'name' },
          {
            title: t('policies.examples.facts'),
            key: 'facts',
            render: (_, e) => (
              <Typography.Text code style={{ fontSize: 12 }}>
                {Object.entries(e.facts)
                  .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
                  .join(', ')}
              </Typography.Text>
            ),
          },
          {
            title: t('policies.examples.expected'),
            key: 'expected',
            render: (_, e) => (
              <Space size={4}>
                <VerdictTag value={e.expected.eligible} />
                {e.expected.amount !== null ? formatYuan(e.expected.amount, i18n.language) : null}
              </Space>
            ),
          },
          {
            title: t('policies.examples.result'),
            key: 'result',
            render: (_, e, i) => {
              const o = outcomeOf(i, e);
              if (!o) return <Typography.Text type="secondary">—</Typography.Text>;
              return (
                <Space size={4} data-testid="example-result">
                  {o.pass ? (
                    <CheckCircleTwoTone twoToneColor="#52c41a" />
                  ) : (
                    <CloseCircleTwoTone twoToneColor="#f5222d" />
                  )}
                  <span>{o.pass ? t('policies.examples.pass') : t('policies.examples.fail')}</span>
                  <VerdictTag value={o.eligible} />
                  {o.amount !== null ? formatYuan(o.amount, i18n.language) : null}
                  {o.missing.length ? (
                    <Typography.Text type="secondary">
                      {t('policies.examples.missing', { facts: o.missing.join(', ') })}
                    </Typography.Text>
                  ) : null}
                </Space>
              );
            },
          },
          ...(readOnly
            ? []
            : [
                {
                  title: '',
                  key: 'ops',
                  render: (_: unknown, _e: Example, i: number) => (
                    <Space size={0}>
                      <Button
                        size="small"
                        type="text"
                        icon={<EditOutlined />}
                        onClick={() => setEditing(i)}
                        aria-label={t('policies.edit')}
                      />
                      <Button
                        size="small"
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('policies.delete')}
                        onClick={() => onChange?.(examples.filter((_, j) => j !== i))}
                      />
                    </Space>
                  ),
                },
              ]),
        ]}
      />
      {editing !== null ? (
        <ExampleModal example={examples[editing]} onCancel={() => setEditing(null)} onSave={save} />
      ) : null}
    </div>
  );
}

interface ExampleForm {
  name: string;
  asOf: string;
  facts: string;
  eligible: 'true' | 'false' | 'null';
  amount?: string;
}

function ExampleModal({
  example,
  onCancel,
  onSave,
}: {
  example?: Example;
  onCancel: () => void;
  onSave: (e: Example) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ExampleForm>();
  const [error, setError] = useState<string | null>(null);
  const submit = (v: ExampleForm) => {
    let facts: unknown;
    try {
      facts = JSON.parse(v.facts || '{}');
    } catch (e) {
      setError(t('policies.rule.json.syntax', { detail: e instanceof Error ? e.message : '' }));
      return;
    }
    if (!facts || typeof facts !== 'object' || Array.isArray(facts)) {
      setError(t('policies.examples.factsObject'));
      return;
    }
    onSave({
      name: v.name.trim(),
      asOf: v.asOf,
      facts: facts as Record<string, unknown>,
      expected: {
        eligible: v.eligible === 'null' ? null : v.eligible === 'true',
        amount: v.amount?.trim() ? Number(v.amount).toFixed(2) : null,
      },
    });
  };
  return (
    <Modal
      open
      title={example ? t('policies.examples.edit') : t('policies.examples.add')}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okText={t('common.save')}
      destroyOnHidden
    >
      <Form<ExampleForm>
        form={form}
        name="example"
        layout="vertical"
        onFinish={submit}
        initialValues={{
          name: example?.name ?? '',
          asOf: example?.asOf ?? new Date().toISOString().slice(0, 10),
          facts: JSON.stringify(example?.facts ?? {}, null, 2),
          eligible: String(example?.expected.eligible ?? 'true') as ExampleForm['eligible'],
          amount: example?.expected.amount ?? undefined,
        }}
      >
        <Form.Item name="name" label={t('policies.examples.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="asOf" label={t('policies.examples.asOf')} rules={[{ required: true }]}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="facts" label={t('policies.examples.facts')} extra={t('policies.examples.factsHint')}>
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Space>
          <Form.Item name="eligible" label={t('policies.examples.expectedEligible')}>
            <Select
              style={{ width: 140 }}
              options={[
                { value: 'true', label: t('policies.verdict.eligible') },
                { value: 'false', label: t('policies.verdict.ineligible') },
                { value: 'null', label: t('policies.verdict.unknown') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="amount"
            label={t('policies.examples.expectedAmount')}
            rules={[{ pattern: /^\d+(\.\d{1,2})?$/, message: t('policies.examples.amountFormat') }]}
          >
            <Input style={{ width: 160 }} suffix={t('policies.unit.yuan')} />
          </Form.Item>
        </Space>
        {error ? <Alert type="error" showIcon title={error} /> : null}
      </Form>
    </Modal>
  );
}
