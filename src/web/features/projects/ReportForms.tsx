import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, DatePicker, Form, InputNumber, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PROJECT_STAGES } from '../../../domain/projects.ts';
import { fieldErrorsOf } from '../../app/api';
import {
  type AdvanceStage,
  advanceProject,
  INVESTMENT_SOURCES,
  type InvestmentSource,
  PERFORMANCE_EVIDENCE,
  type ProjectDetail,
  projectsKey,
  recordInvestment,
} from './api';
import { formatWan, todayShanghai } from './format';

/** The actual date of the stage the project is at (the new date may not be earlier). */
function currentStageDate(p: ProjectDetail): string | null {
  switch (p.stage) {
    case 'signed':
      return p.signedOn;
    case 'performed':
      return p.performedOn;
    case 'started':
      return p.startedOn;
    case 'producing':
      return p.productionOn;
    case 'effective':
      return p.effectiveOn;
  }
}

/** The server's message, with the field messages of a VALIDATION_FAILED answer. */
function errorText(e: unknown, fallback: string): string {
  const base = e instanceof Error && e.message ? e.message : fallback;
  const fields = fieldErrorsOf(e, '');
  return fields.length ? `${base} (${fields.map((f) => `${f.name}: ${f.message}`).join('; ')})` : base;
}

interface AdvanceValues {
  date: Dayjs;
  evidence?: string[];
}

/** Moves the pipeline one step (履约 → 开工 → 投产 → 达效), after a confirmation. */
export function AdvanceForm({ project }: { project: ProjectDetail }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<AdvanceValues>();
  const [error, setError] = useState<string | null>(null);
  const index = PROJECT_STAGES.indexOf(project.stage);
  const next = PROJECT_STAGES[index + 1] as AdvanceStage | undefined;
  const today = todayShanghai();
  const earliest = currentStageDate(project);

  if (!next) {
    return (
      <Alert
        type="success"
        showIcon
        title={t('projects.advance.done')}
        data-testid="advance-done"
        style={{ margin: 0 }}
      />
    );
  }

  const submit = (values: AdvanceValues) => {
    const date = values.date.format('YYYY-MM-DD');
    const evidence =
      next === 'performed'
        ? Object.fromEntries(PERFORMANCE_EVIDENCE.map((k) => [k, (values.evidence ?? []).includes(k)]))
        : undefined;
    setError(null);
    modal.confirm({
      title: t('projects.advance.confirmTitle'),
      content: t('projects.advance.confirm', {
        name: project.name,
        from: t(`projects.stage.${project.stage}`),
        to: t(`projects.stage.${next}`),
        date,
      }),
      okText: t('projects.advance.submit'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await advanceProject(project.id, { stage: next, date, ...(evidence ? { evidence } : {}) });
          void message.success(t('projects.advance.success', { stage: t(`projects.stage.${next}`) }));
          await queryClient.invalidateQueries({ queryKey: projectsKey });
        } catch (e) {
          setError(errorText(e, t('errors.unknown')));
        }
      },
    });
  };

  return (
    <Form<AdvanceValues>
      form={form}
      layout="vertical"
      name="advanceStage"
      initialValues={{
        date: dayjs(today),
        evidence: PERFORMANCE_EVIDENCE.filter((k) => project.performanceEvidence[k]),
      }}
      onFinish={submit}
      data-testid="advance-form"
    >
      <Typography.Paragraph type="secondary">
        {t('projects.advance.hint', {
          from: t(`projects.stage.${project.stage}`),
          to: t(`projects.stage.${next}`),
        })}
      </Typography.Paragraph>
      <Form.Item
        name="date"
        label={t(`projects.advance.dateOf.${next}`)}
        rules={[{ required: true, message: t('projects.advance.dateRequired') }]}
      >
        <DatePicker
          style={{ width: '100%', maxWidth: 240 }}
          format="YYYY-MM-DD"
          disabledDate={(d) => d.format('YYYY-MM-DD') > today || (!!earliest && d.format('YYYY-MM-DD') < earliest)}
          data-testid="advance-date"
        />
      </Form.Item>
      {next === 'performed' ? (
        <Form.Item
          name="evidence"
          label={t('projects.advance.evidence')}
          rules={[{ required: true, type: 'array', min: 1, message: t('projects.advance.evidenceRequired') }]}
        >
          <Checkbox.Group
            style={{ display: 'grid', gap: 6 }}
            options={PERFORMANCE_EVIDENCE.map((k) => ({ value: k, label: t(`projects.evidence.${k}`) }))}
          />
        </Form.Item>
      ) : null}
      {error ? (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="advance-error" />
      ) : null}
      <Button type="primary" htmlType="submit" data-testid="advance-submit">
        {t('projects.advance.button', { stage: t(`projects.stage.${next}`) })}
      </Button>
    </Form>
  );
}

interface InvestmentValues {
  month: Dayjs;
  amountWan: number;
  source: InvestmentSource;
}

/** Records (or corrects) the completed investment of one month. */
export function InvestmentForm({ project }: { project: ProjectDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<InvestmentValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const thisMonth = todayShanghai().slice(0, 7);
  const month = Form.useWatch('month', form);
  const existing = month
    ? project.monthly.find((m) => m.year === month.year() && m.month === month.month() + 1)
    : undefined;

  const submit = async (values: InvestmentValues) => {
    setBusy(true);
    setError(null);
    try {
      await recordInvestment(project.id, {
        year: values.month.year(),
        month: values.month.month() + 1,
        amountWan: values.amountWan,
        source: values.source,
      });
      void message.success(t('projects.investmentForm.saved'));
      await queryClient.invalidateQueries({ queryKey: projectsKey });
    } catch (e) {
      setError(errorText(e, t('errors.unknown')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<InvestmentValues>
      form={form}
      layout="vertical"
      name="recordInvestment"
      initialValues={{ month: dayjs(`${thisMonth}-01`), source: 'reported' }}
      onFinish={(v) => void submit(v)}
      data-testid="investment-form"
    >
      <Form.Item
        name="month"
        label={t('projects.investmentForm.month')}
        rules={[{ required: true, message: t('projects.investmentForm.monthRequired') }]}
      >
        <DatePicker
          picker="month"
          format="YYYY-MM"
          style={{ width: '100%', maxWidth: 240 }}
          disabledDate={(d) => d.format('YYYY-MM') > thisMonth}
          onChange={(d: Dayjs | null) => {
            const found = d ? project.monthly.find((m) => m.year === d.year() && m.month === d.month() + 1) : undefined;
            if (found) form.setFieldValue('amountWan', found.amountWan);
          }}
        />
      </Form.Item>
      <Form.Item
        name="amountWan"
        label={t('projects.investmentForm.amount')}
        rules={[{ required: true, message: t('projects.investmentForm.amountRequired') }]}
        extra={existing ? t('projects.investmentForm.overwrite', { amount: formatWan(existing.amountWan) }) : undefined}
      >
        <InputNumber<number>
          min={0}
          max={100_000_000}
          precision={2}
          step={100}
          style={{ width: '100%', maxWidth: 240 }}
          suffix={t('projects.units.wan')}
          data-testid="investment-amount"
        />
      </Form.Item>
      <Form.Item name="source" label={t('projects.investmentForm.source')}>
        <Select
          style={{ width: '100%', maxWidth: 240 }}
          options={INVESTMENT_SOURCES.map((s) => ({ value: s, label: t(`projects.source.${s}`) }))}
        />
      </Form.Item>
      {error ? (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="investment-error" />
      ) : null}
      <Button type="primary" htmlType="submit" loading={busy} data-testid="investment-submit">
        {t('projects.investmentForm.submit')}
      </Button>
    </Form>
  );
}
