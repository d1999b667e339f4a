/**
 * The clause's amount: formula (the rule language's expression language over facts, 元), cap and floor, with a live
 * check of the formula against each example case's facts.
 */
import { Alert, Col, Input, InputNumber, Row, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Clause } from './api';
import { formatYuan } from './api';
import { checkFormula, formulaSyntaxError } from './formulaCheck';

export function FormulaInput({ clause, onChange }: { clause: Clause; onChange: (patch: Partial<Clause>) => void }) {
  const { t, i18n } = useTranslation();
  const formula = clause.amountFormula ?? '';
  const results = useMemo(
    () =>
      formula.trim()
        ? clause.examples.map((e) => ({ name: e.name, ...checkFormula(formula, e.facts, e.asOf ?? undefined) }))
        : [],
    [formula, clause.examples],
  );
  const parseError = formula.trim() ? formulaSyntaxError(formula) : null;

  return (
    <div data-testid="formula">
      <Row gutter={[16, 8]}>
        <Col xs={24} lg={14}>
          <Typography.Text>{t('policies.clause.formula')}</Typography.Text>
          <Input
            value={formula}
            onChange={(e) => onChange({ amountFormula: e.target.value })}
            placeholder="min(500000, 0.1 * rd_expense * 10000)"
            style={{ fontFamily: 'monospace' }}
            status={parseError ? 'error' : undefined}
            data-testid="formula-input"
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('policies.clause.formulaHint')}
          </Typography.Text>
        </Col>
        <Col xs={12} lg={5}>
          <Typography.Text>{t('policies.clause.cap')}</Typography.Text>
          <InputNumber
            min={0}
            value={clause.capYuan === null || clause.capYuan === '' ? null : Number(clause.capYuan)}
            onChange={(v) => onChange({ capYuan: v ?? null })}
            style={{ width: '100%' }}
            suffix={t('policies.unit.yuan')}
          />
        </Col>
        <Col xs={12} lg={5}>
          <Typography.Text>{t('policies.clause.floor')}</Typography.Text>
          <InputNumber
            min={0}
            value={clause.floorYuan === null || clause.floorYuan === '' ? null : Number(clause.floorYuan)}
            onChange={(v) => onChange({ floorYuan: v ?? null })}
            style={{ width: '100%' }}
            suffix={t('policies.unit.yuan')}
          />
        </Col>
      </Row>
      {parseError ? (
        <Alert type="error" showIcon title={parseError} style={{ marginTop: 8 }} data-testid="formula-error" />
      ) : null}
      {!parseError && results.length ? (
        <Table
          size="small"
          style={{ marginTop: 8 }}
          rowKey="name"
          pagination={false}
          dataSource={results}
          data-testid="formula-check"
          columns={[
            { title: t('policies.examples.name'), dataIndex: 'name' },
            {
              title: t('policies.clause.formulaResult'),
              key: 'amount',
              render: (_: unknown, r) =>
                r.error ? (
                  <Typography.Text type="warning">{r.error}</Typography.Text>
                ) : (
                  formatYuan(r.amount, i18n.language)
                ),
            },
          ]}
        />
      ) : null}
    </div>
  );
}
