/**
 * The visual rule editor: a tree of groups (全部满足 all / 任一满足 any / 不满足 not) and conditions over the facts
 * catalogue, with the JSON beside it (editable both ways) and the human description below.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Dropdown, Input, InputNumber, Row, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  FACTS_BY_KEY,
  FACTS_CATALOGUE,
  GROUP_LABELS,
  QUALIFICATION_LEVELS,
  QUALIFICATION_TYPES,
} from '../../../domain/rules/catalogue.ts';
import type { ComparisonOp, Rule } from '../../../domain/rules/types.ts';
import { type Fact, textIn } from './api';
import { describeLines, factUnit } from './describe';
import {
  appendAt,
  COMPARISON_OPS,
  type ConditionKind,
  childrenOf,
  conditionKind,
  conditionOfKind,
  countConditions,
  defaultValue,
  type FactOp,
  OP_SYMBOL,
  opsFor,
  type Path,
  parseRuleText,
  removeAt,
  updateAt,
} from './ruleModel';

const CATALOGUE = FACTS_CATALOGUE as Fact[];
const pretty = (r: Rule) => JSON.stringify(r, null, 2);

function useFactOptions(filter?: (f: Fact) => boolean) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useMemo(() => {
    const groups = new Map<string, { label: string; options: { value: string; label: string }[] }>();
    for (const f of CATALOGUE) {
      if (filter && !filter(f)) continue;
      const g = groups.get(f.group) ?? { label: textIn(GROUP_LABELS[f.group], lang), options: [] };
      const unit = factUnit(f.key, lang);
      g.options.push({ value: f.key, label: `${textIn(f.label, lang)}${unit ? ` (${unit})` : ''}` });
      groups.set(f.group, g);
    }
    return [...groups.values()];
  }, [lang, filter]);
}

const numericOnly = (f: Fact) => f.type === 'number';
const datesOnly = (f: Fact) => f.type === 'date';

export function RuleEditor({
  value,
  onChange,
  testId = 'rule-editor',
}: {
  value: Rule;
  onChange: (rule: Rule) => void;
  testId?: string;
}) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState(() => pretty(value));
  const [jsonError, setJsonError] = useState<string | null>(null);

  // Tree edits rewrite the JSON unless the text already says the same (the user may be typing in it).
  useEffect(() => {
    setText((current) => {
      try {
        if (JSON.stringify(JSON.parse(current)) === JSON.stringify(value)) return current;
      } catch {
        // the text does not parse: the tree has moved on, show the tree's JSON
      }
      return pretty(value);
    });
    setJsonError(null);
  }, [value]);

  const onText = (next: string) => {
    setText(next);
    const parsed = parseRuleText(next, CATALOGUE);
    if (parsed.rule) {
      setJsonError(null);
      if (JSON.stringify(parsed.rule) !== JSON.stringify(value)) onChange(parsed.rule);
    } else {
      const e = parsed.error;
      setJsonError(
        e.problem === 'syntax'
          ? t('policies.rule.json.syntax', { detail: e.detail ?? '' })
          : t('policies.rule.json.problem', { path: e.path ?? '$', problem: t(`policies.rule.json.${e.problem}`) }),
      );
    }
  };

  const lines = describeLines(value, i18n.language);

  return (
    <div data-testid={testId}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Typography.Text strong>{t('policies.rule.tree')}</Typography.Text>
          <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
            {t('policies.rule.conditionCount', { count: countConditions(value) })}
          </Typography.Text>
          <div style={{ marginTop: 8 }}>
            <Node rule={value} path={[]} root={value} onChange={onChange} />
          </div>
        </Col>
        <Col xs={24} xl={9}>
          <Typography.Text strong>{t('policies.rule.json.title')}</Typography.Text>
          <Input.TextArea
            value={text}
            onChange={(e) => onText(e.target.value)}
            autoSize={{ minRows: 8, maxRows: 24 }}
            spellCheck={false}
            style={{ fontFamily: 'monospace', fontSize: 12, marginTop: 8 }}
            status={jsonError ? 'error' : undefined}
            aria-label={t('policies.rule.json.title')}
            data-testid="rule-json"
          />
          {jsonError ? (
            <Alert type="error" showIcon title={jsonError} style={{ marginTop: 8 }} data-testid="rule-json-error" />
          ) : null}
        </Col>
      </Row>
      <Card size="small" title={t('policies.rule.description')} style={{ marginTop: 12 }}>
        <div data-testid="rule-description" style={{ whiteSpace: 'pre-wrap' }}>
          {lines.map((l, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their position
            <div key={i}>{l}</div>
          ))}
        </div>
      </Card>
    </div>
  );
}

interface NodeProps {
  rule: Rule;
  path: Path;
  root: Rule;
  onChange: (rule: Rule) => void;
}

function Node(props: NodeProps) {
  const { rule } = props;
  if ('all' in rule || 'any' in rule || 'not' in rule) return <GroupNode {...props} />;
  return <ConditionNode {...props} />;
}

const GROUP_COLORS = { all: '#1677ff', any: '#d48806', not: '#cf1322' } as const;

function GroupNode({ rule, path, root, onChange }: NodeProps) {
  const { t } = useTranslation();
  const kind: 'all' | 'any' | 'not' = 'all' in rule ? 'all' : 'any' in rule ? 'any' : 'not';
  const kids = childrenOf(rule);
  const set = (fn: (n: Rule) => Rule) => onChange(updateAt(root, path, fn));
  const changeKind = (k: 'all' | 'any' | 'not') =>
    set((n) => {
      const items = childrenOf(n);
      if (k === 'not') return { not: items.length === 1 ? (items[0] as Rule) : { any: items } };
      if ('not' in n) {
        const inner = n.not;
        const innerKids = 'all' in inner || 'any' in inner ? childrenOf(inner) : [inner];
        return k === 'all' ? { all: innerKids } : { any: innerKids };
      }
      return k === 'all' ? { all: items } : { any: items };
    });
  const add = (child: Rule) => onChange(appendAt(root, path, child));
  const depth = path.length;
  const testPath = path.join('.') || 'root';

  return (
    <div
      style={{
        borderInlineStart: `3px solid ${GROUP_COLORS[kind]}`,
        background: depth % 2 ? '#fafafa' : '#fff',
        padding: '8px 8px 8px 12px',
        borderRadius: 4,
        marginBottom: 8,
      }}
      data-testid={`rule-group-${testPath}`}
    >
      <Space wrap style={{ marginBottom: kids.length ? 8 : 0 }}>
        <Select
          size="small"
          value={kind}
          onChange={changeKind}
          style={{ width: 130 }}
          options={(['all', 'any', 'not'] as const).map((k) => ({ value: k, label: t(`policies.rule.group.${k}`) }))}
          aria-label={t('policies.rule.groupKind')}
          data-testid={`rule-group-kind-${testPath}`}
        />
        {kind !== 'not' ? (
          <>
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => add(conditionOfKind('fact', CATALOGUE))}
              data-testid={`rule-add-condition-${testPath}`}
            >
              {t('policies.rule.addCondition')}
            </Button>
            <Dropdown
              menu={{
                items: (['all', 'any', 'not'] as const).map((k) => ({
                  key: k,
                  label: t(`policies.rule.group.${k}`),
                })),
                onClick: ({ key }) =>
                  add(key === 'all' ? { all: [] } : key === 'any' ? { any: [] } : { not: { any: [] } }),
              }}
            >
              <Button size="small" icon={<PlusOutlined />} data-testid={`rule-add-group-${testPath}`}>
                {t('policies.rule.addGroup')}
              </Button>
            </Dropdown>
          </>
        ) : null}
        {path.length > 0 ? (
          <Button
            size="small"
            danger
            type="text"
            icon={<DeleteOutlined />}
            onClick={() => onChange(removeAt(root, path))}
            aria-label={t('policies.rule.remove')}
          />
        ) : null}
      </Space>
      {kids.length === 0 ? (
        <Typography.Text type="secondary" style={{ display: 'block' }}>
          {t('policies.rule.emptyGroup')}
        </Typography.Text>
      ) : null}
      {kids.map((child, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: tree nodes are addressed by position
        <Node key={i} rule={child} path={[...path, i]} root={root} onChange={onChange} />
      ))}
    </div>
  );
}

function ConditionNode({ rule, path, root, onChange }: NodeProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const kind = conditionKind(rule) ?? 'fact';
  const set = (next: Rule) => onChange(updateAt(root, path, () => next));
  const allFacts = useFactOptions();
  const numberFacts = useFactOptions(numericOnly);
  const dateFacts = useFactOptions(datesOnly);
  const testPath = path.join('.');
  const cmpOptions = COMPARISON_OPS.map((op) => ({ value: op, label: t(`policies.rule.op.${op}`) }));

  let body: React.ReactNode = null;
  if ('qualification' in rule) {
    body = (
      <>
        <Select
          size="small"
          value={rule.qualification}
          onChange={(q) => set({ ...rule, qualification: q })}
          style={{ width: 200 }}
          popupMatchSelectWidth={false}
          options={QUALIFICATION_TYPES.map((q) => ({ value: q.value, label: textIn(q.label, lang) }))}
          data-testid={`cond-qualification-${testPath}`}
        />
        <Select
          size="small"
          allowClear
          placeholder={t('policies.rule.anyLevel')}
          value={rule.level}
          onChange={(level) => {
            const { level: _l, ...rest } = rule;
            set(level ? { ...rest, level } : rest);
          }}
          style={{ width: 110 }}
          options={QUALIFICATION_LEVELS.map((q) => ({ value: q.value, label: textIn(q.label, lang) }))}
        />
        <Input
          size="small"
          type="date"
          value={rule.on ?? ''}
          onChange={(e) => {
            const { on: _o, ...rest } = rule;
            set(e.target.value ? { ...rest, on: e.target.value } : rest);
          }}
          style={{ width: 150 }}
          aria-label={t('policies.rule.validOn')}
          title={t('policies.rule.validOnHint')}
        />
      </>
    );
  } else if ('yearsSince' in rule) {
    body = (
      <>
        <Select
          size="small"
          value={rule.yearsSince}
          onChange={(f) => set({ ...rule, yearsSince: f })}
          style={{ width: 160 }}
          options={dateFacts}
        />
        <Typography.Text type="secondary">{t('policies.rule.yearsElapsed')}</Typography.Text>
        <Select
          size="small"
          value={rule.op}
          onChange={(op: ComparisonOp) => set({ ...rule, op })}
          style={{ width: 90 }}
          options={cmpOptions}
        />
        <InputNumber
          size="small"
          value={rule.value}
          onChange={(v) => set({ ...rule, value: Number(v ?? 0) })}
          suffix={t('policies.rule.years')}
          style={{ width: 120 }}
        />
      </>
    );
  } else if ('ratio' in rule) {
    body = (
      <>
        <Select
          size="small"
          value={rule.ratio[0]}
          onChange={(a) => set({ ...rule, ratio: [a, rule.ratio[1]] })}
          style={{ width: 170 }}
          popupMatchSelectWidth={false}
          showSearch={{ optionFilterProp: 'label' }}
          options={numberFacts}
        />
        <Typography.Text>÷</Typography.Text>
        <Select
          size="small"
          value={rule.ratio[1]}
          onChange={(b) => set({ ...rule, ratio: [rule.ratio[0], b] })}
          style={{ width: 170 }}
          popupMatchSelectWidth={false}
          showSearch={{ optionFilterProp: 'label' }}
          options={numberFacts}
        />
        <Select
          size="small"
          value={rule.op}
          onChange={(op: ComparisonOp) => set({ ...rule, op })}
          style={{ width: 90 }}
          options={cmpOptions}
        />
        <InputNumber
          size="small"
          value={rule.value}
          step={0.01}
          onChange={(v) => set({ ...rule, value: Number(v ?? 0) })}
          style={{ width: 110 }}
        />
      </>
    );
  } else if ('fact' in rule) {
    const fact = FACTS_BY_KEY.get(rule.fact) as Fact | undefined;
    const ops = opsFor(fact?.type);
    body = (
      <>
        <Select
          size="small"
          value={rule.fact}
          onChange={(key: string) => {
            const f = FACTS_BY_KEY.get(key) as Fact | undefined;
            const allowed = opsFor(f?.type);
            const op = (allowed.includes(rule.op) ? rule.op : allowed[0]) as FactOp;
            set({ fact: key, op, value: defaultValue(f, op, fact?.type === f?.type ? rule.value : undefined) } as Rule);
          }}
          style={{ width: 200 }}
          popupMatchSelectWidth={false}
          showSearch={{ optionFilterProp: 'label' }}
          options={allFacts}
          aria-label={t('policies.rule.fact')}
          data-testid={`cond-fact-${testPath}`}
        />
        <Select
          size="small"
          value={rule.op}
          onChange={(op: FactOp) => set({ fact: rule.fact, op, value: defaultValue(fact, op, rule.value) } as Rule)}
          style={{ width: 116 }}
          popupMatchSelectWidth={false}
          options={ops.map((op) => ({ value: op, label: t(`policies.rule.op.${op}`) }))}
          aria-label={t('policies.rule.operator')}
          data-testid={`cond-op-${testPath}`}
        />
        <ValueInput rule={rule} fact={fact} onChange={set} testId={`cond-value-${testPath}`} />
      </>
    );
  }

  return (
    <div
      style={{ display: 'flex', alignItems: 'center', gap: 6, flexWrap: 'wrap', padding: '4px 0' }}
      data-testid={`rule-condition-${testPath}`}
    >
      <Select
        size="small"
        value={kind}
        onChange={(k: ConditionKind) => set(conditionOfKind(k, CATALOGUE))}
        style={{ width: 96 }}
        popupMatchSelectWidth={false}
        options={(['fact', 'qualification', 'yearsSince', 'ratio'] as const).map((k) => ({
          value: k,
          label: t(`policies.rule.kind.${k}`),
        }))}
        aria-label={t('policies.rule.conditionKind')}
      />
      {body}
      <Button
        size="small"
        danger
        type="text"
        icon={<DeleteOutlined />}
        onClick={() => onChange(removeAt(root, path))}
        aria-label={t('policies.rule.remove')}
        data-testid={`cond-remove-${testPath}`}
      />
    </div>
  );
}

type FactRule = Extract<Rule, { fact: string }>;

function ValueInput({
  rule,
  fact,
  onChange,
  testId,
}: {
  rule: FactRule;
  fact: Fact | undefined;
  onChange: (r: Rule) => void;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const type = fact?.type ?? 'string';
  const unit = factUnit(rule.fact, lang);
  const pct = !!fact?.percent;
  // percent facts are stored as fractions (0.055) and typed as percentages (5.5)
  const show = (v: number) => (pct ? +(v * 100).toFixed(6) : v);
  const store = (v: number | string | null) => {
    const n = Number(v ?? 0);
    return pct ? +(n / 100).toFixed(8) : n;
  };
  const enumOptions = (fact?.enumValues ?? []).map((e) => ({ value: e.value, label: textIn(e.label, lang) }));
  const boolOptions = [
    { value: 'true', label: t('policies.rule.yes') },
    { value: 'false', label: t('policies.rule.no') },
  ];

  if (rule.op === 'between') {
    const [a, b] = rule.value;
    return (
      <Space size={4}>
        <InputNumber
          size="small"
          value={show(a)}
          onChange={(v) => onChange({ ...rule, value: [store(v), b] })}
          style={{ width: 110 }}
          data-testid={`${testId}-min`}
        />
        <span>–</span>
        <InputNumber
          size="small"
          value={show(b)}
          onChange={(v) => onChange({ ...rule, value: [a, store(v)] })}
          suffix={unit || undefined}
          style={{ width: 140 }}
          data-testid={`${testId}-max`}
        />
      </Space>
    );
  }
  if (rule.op === 'in') {
    const values = rule.value;
    if (type === 'enum')
      return (
        <Select
          size="small"
          mode="multiple"
          value={values as string[]}
          onChange={(v: string[]) => onChange({ ...rule, value: v })}
          style={{ minWidth: 200 }}
          options={enumOptions}
          data-testid={testId}
        />
      );
    return (
      <Select
        size="small"
        mode="tags"
        value={values.map(String)}
        onChange={(v: string[]) =>
          onChange({ ...rule, value: type === 'number' ? v.map(Number).filter((n) => Number.isFinite(n)) : v })
        }
        style={{ minWidth: 200 }}
        placeholder={t('policies.rule.tagsHint')}
        open={false}
        data-testid={testId}
      />
    );
  }
  if (type === 'number')
    return (
      <InputNumber
        size="small"
        value={typeof rule.value === 'number' ? show(rule.value) : 0}
        onChange={(v) => onChange({ ...rule, value: store(v) } as Rule)}
        suffix={unit || undefined}
        style={{ width: 140 }}
        data-testid={testId}
      />
    );
  if (type === 'boolean')
    return (
      <Select
        size="small"
        value={String(rule.value)}
        onChange={(v: string) => onChange({ ...rule, value: v === 'true' } as Rule)}
        style={{ width: 90 }}
        options={boolOptions}
        data-testid={testId}
      />
    );
  if (type === 'enum')
    return (
      <Select
        size="small"
        value={String(rule.value)}
        onChange={(v: string) => onChange({ ...rule, value: v } as Rule)}
        style={{ width: 140 }}
        options={enumOptions}
        data-testid={testId}
      />
    );
  if (type === 'date')
    return (
      <Input
        size="small"
        type="date"
        value={String(rule.value ?? '')}
        onChange={(e) => onChange({ ...rule, value: e.target.value } as Rule)}
        style={{ width: 150 }}
        data-testid={testId}
      />
    );
  return (
    <Space size={4}>
      <Input
        size="small"
        value={String(rule.value ?? '')}
        onChange={(e) => onChange({ ...rule, value: e.target.value } as Rule)}
        style={{ width: 140 }}
        data-testid={testId}
      />
      {rule.op === 'prefix' && rule.fact === 'industry_code' ? (
        <Tag color="blue">{t('policies.rule.prefixHint')}</Tag>
      ) : null}
    </Space>
  );
}

export { OP_SYMBOL };
