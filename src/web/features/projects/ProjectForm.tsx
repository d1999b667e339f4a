/**
 * 新建 / 编辑 a 三个一批 project (issue #18): one form for POST /projects and PATCH /projects/:id. The client rules are
 * the API's (inputSchema in src/server/modules/projects/routes.ts); what only the server knows (a taken code, a region
 * outside the caller's scope, a stale version) comes back as `{ error }` and is shown on the field it concerns.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { belowInclusionThreshold, INCLUSION_THRESHOLD_WAN, INDUSTRY_CLASSES } from '../../../domain/projects.ts';
import { fieldErrorsOf, isApiError, newIdempotencyKey } from '../../app/api';
import { useCan } from '../../app/guards';
import { createProject, type Project, type ProjectInput, projectsKey, updateProject, useDistricts } from './api';
import { formatWanAsYi } from './format';

const DATE_FIELDS = [
  'signedOn',
  'plannedPerformanceOn',
  'plannedStartOn',
  'plannedProductionOn',
  'plannedEffectiveOn',
] as const;
type DateField = (typeof DATE_FIELDS)[number];

const TEXT_FIELDS = ['code', 'name', 'ownerName', 'responsibleUnit', 'responsiblePerson', 'industryCode'] as const;

type FormValues = {
  code: string;
  name: string;
  ownerName: string;
  regionCode: string;
  industryClass: ProjectInput['industryClass'];
  industryCode?: string;
  totalInvestmentWan: number;
  responsibleUnit: string;
  responsiblePerson?: string;
} & Partial<Record<DateField, Dayjs | null>>;

const FIELD_NAMES = new Set<string>([
  ...TEXT_FIELDS,
  'regionCode',
  'industryClass',
  'totalInvestmentWan',
  ...DATE_FIELDS,
]);

function valuesOf(p: Project): Partial<FormValues> {
  const out: Partial<FormValues> = {
    code: p.code,
    name: p.name,
    ownerName: p.ownerName,
    regionCode: p.regionCode,
    industryClass: p.industryClass,
    industryCode: p.industryCode ?? undefined,
    totalInvestmentWan: p.totalInvestmentWan,
    responsibleUnit: p.responsibleUnit,
    responsiblePerson: p.responsiblePerson || undefined,
  };
  for (const f of DATE_FIELDS) out[f] = p[f] ? dayjs(p[f]) : null;
  return out;
}

/** The form's values as the API's body (trimmed text, dates as YYYY-MM-DD, cleared optional fields as null). */
function bodyOf(v: FormValues): ProjectInput {
  const body: ProjectInput = {
    code: v.code.trim(),
    name: v.name.trim(),
    ownerName: v.ownerName.trim(),
    regionCode: v.regionCode,
    industryClass: v.industryClass,
    industryCode: v.industryCode?.trim() ? v.industryCode.trim() : null,
    totalInvestmentWan: v.totalInvestmentWan,
    responsibleUnit: v.responsibleUnit.trim(),
    responsiblePerson: v.responsiblePerson?.trim() ?? '',
  };
  for (const f of DATE_FIELDS) body[f] = v[f] ? v[f].format('YYYY-MM-DD') : null;
  return body;
}

/** Only what changed against the record (so the audit row says what was edited). */
function changesOf(before: Project, body: ProjectInput): Partial<ProjectInput> {
  const out: Partial<ProjectInput> = {};
  const was: Record<string, unknown> = {
    ...before,
    industryCode: before.industryCode ?? null,
    responsiblePerson: before.responsiblePerson ?? '',
  };
  for (const [k, v] of Object.entries(body) as [keyof ProjectInput, unknown][]) {
    const old = was[k] ?? null;
    if ((v ?? null) !== old) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

export function ProjectFormModal({
  open,
  project,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** The record to edit; none for 新建. */
  project?: Project;
  onClose: () => void;
  onSaved?: (saved: { id: string; name: string }) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [submitting, setSubmitting] = useState(false);
  const [formError, setFormError] = useState<{ text: string; conflict: boolean } | null>(null);
  // One key per dialog: a retried or double-clicked 新建 creates the project once.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const districts = useDistricts(can('regions:read'));
  const editing = !!project;

  const regionOptions = (districts.data ?? []).map((r) => ({ value: r.code, label: r.name }));
  if (project && !regionOptions.some((o) => o.value === project.regionCode)) {
    regionOptions.unshift({ value: project.regionCode, label: project.regionName });
  }

  const industryClass = Form.useWatch('industryClass', form);
  const investment = Form.useWatch('totalInvestmentWan', form);
  const belowThreshold =
    !!industryClass && typeof investment === 'number' && belowInclusionThreshold(industryClass, investment);

  const initialValues: Partial<FormValues> = project
    ? valuesOf(project)
    : { regionCode: regionOptions.length === 1 ? regionOptions[0]!.value : undefined };

  // A district admin has one district: chosen for them once the list has loaded.
  const onlyRegion = !project && regionOptions.length === 1 ? regionOptions[0]!.value : undefined;
  useEffect(() => {
    if (open && onlyRegion && !form.getFieldValue('regionCode')) form.setFieldValue('regionCode', onlyRegion);
  }, [open, onlyRegion, form]);

  const close = () => {
    form.resetFields();
    setFormError(null);
    setIdempotencyKey(newIdempotencyKey());
    onClose();
  };

  /** The server's refusal, on the fields it names (or above the form). */
  const showError = (e: unknown) => {
    if (!isApiError(e)) {
      setFormError({ text: t('errors.unknown'), conflict: false });
      return;
    }
    if (e.code === 'DUPLICATE') {
      form.setFields([{ name: 'code', errors: [t('projects.form.codeTaken')] }]);
      form.scrollToField('code', { block: 'center' });
      return;
    }
    if (e.code === 'CONFLICT') {
      setFormError({ text: t('projects.form.conflict'), conflict: true });
      return;
    }
    if (e.code === 'FORBIDDEN' || e.code === 'REFERENCE_OUT_OF_SCOPE') {
      form.setFields([{ name: 'regionCode', errors: [t('projects.form.regionOutOfScope')] }]);
      form.scrollToField('regionCode', { block: 'center' });
      return;
    }
    // Schema errors name `body.<field>`; the service's own checks name the bare field.
    const fields = [...fieldErrorsOf(e), ...fieldErrorsOf(e, '')].filter((f) => FIELD_NAMES.has(f.name));
    if (fields.length) {
      form.setFields(
        fields.map((f) => ({
          name: f.name as keyof FormValues,
          errors: [f.name === 'regionCode' ? t('projects.form.regionUnknown') : f.message],
        })),
      );
      form.scrollToField(fields[0]!.name, { block: 'center' });
      return;
    }
    setFormError({ text: e.message, conflict: false });
  };

  const submit = async () => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch (e) {
      // the fields show what is missing; bring the first one into view (the dialog's body scrolls)
      const first = (e as { errorFields?: { name: (string | number)[] }[] }).errorFields?.[0];
      if (first) form.scrollToField(first.name, { block: 'center' });
      return;
    }
    setFormError(null);
    const body = bodyOf(values);
    setSubmitting(true);
    try {
      if (project) {
        const changes = changesOf(project, body);
        if (Object.keys(changes).length === 0) {
          void message.info(t('projects.form.noChanges'));
          close();
          return;
        }
        await updateProject(project.id, { ...changes, version: project.version });
        void message.success(t('projects.form.saved'));
        await queryClient.invalidateQueries({ queryKey: projectsKey });
        onSaved?.({ id: project.id, name: body.name });
      } else {
        const created = await createProject(body, idempotencyKey);
        void message.success(t('projects.form.created', { name: created.name }));
        await queryClient.invalidateQueries({ queryKey: projectsKey });
        onSaved?.({ id: created.id, name: created.name });
      }
      close();
    } catch (e) {
      setIdempotencyKey(newIdempotencyKey());
      showError(e);
    } finally {
      setSubmitting(false);
    }
  };

  const required = (label: string) => ({
    required: true,
    whitespace: true,
    message: t('projects.form.required', { field: label }),
  });
  const length = (min: number, max: number) => ({
    min,
    max,
    transform: (v: unknown) => (typeof v === 'string' ? v.trim() : v),
    message: t('projects.form.length', { min, max }),
  });
  const date = (name: DateField, label: string) => (
    <Col xs={24} sm={12} key={name}>
      <Form.Item name={name} label={label}>
        <DatePicker
          style={{ width: '100%' }}
          format="YYYY-MM-DD"
          minDate={dayjs('1900-01-01')}
          maxDate={dayjs('2100-12-31')}
          data-testid={`project-form-${name}`}
        />
      </Form.Item>
    </Col>
  );

  return (
    <Modal
      open={open}
      title={editing ? t('projects.form.editTitle') : t('projects.form.createTitle')}
      width={760}
      okText={editing ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={close}
      confirmLoading={submitting}
      okButtonProps={{ 'data-testid': 'project-form-submit' }}
      // The header and the buttons stay in view; the fields scroll (16 of them do not fit a laptop or a phone).
      styles={{ body: { maxHeight: 'calc(100vh - 220px)', overflowY: 'auto', overflowX: 'hidden', paddingRight: 4 } }}
      centered
      destroyOnHidden
      maskClosable={false}
      data-testid="project-form-modal"
    >
      {formError ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={formError.text}
          action={
            formError.conflict ? (
              <Button
                size="small"
                onClick={() => {
                  void queryClient.invalidateQueries({ queryKey: projectsKey });
                  close();
                }}
              >
                {t('projects.form.reload')}
              </Button>
            ) : undefined
          }
          data-testid="project-form-error"
        />
      ) : null}
      <Form<FormValues>
        form={form}
        name={editing ? 'editProject' : 'createProject'}
        layout="vertical"
        autoComplete="off"
        initialValues={initialValues}
        data-testid="project-form"
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="code"
              label={t('projects.fields.code')}
              extra={editing ? undefined : t('projects.form.codeHint')}
              rules={[required(t('projects.fields.code')), length(1, 40)]}
            >
              <Input maxLength={40} data-testid="project-form-code" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="regionCode"
              label={t('projects.fields.region')}
              rules={[
                { required: true, message: t('projects.form.requiredSelect', { field: t('projects.fields.region') }) },
              ]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={regionOptions}
                loading={districts.isLoading}
                data-testid="project-form-region"
              />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item
              name="name"
              label={t('projects.form.name')}
              rules={[required(t('projects.form.name')), length(2, 200)]}
            >
              <Input maxLength={200} data-testid="project-form-name" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item
              name="ownerName"
              label={t('projects.fields.owner')}
              rules={[required(t('projects.fields.owner')), length(2, 200)]}
            >
              <Input maxLength={200} data-testid="project-form-owner" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="industryClass"
              label={t('projects.fields.industryClass')}
              rules={[
                {
                  required: true,
                  message: t('projects.form.requiredSelect', { field: t('projects.fields.industryClass') }),
                },
              ]}
            >
              <Select
                options={INDUSTRY_CLASSES.map((c) => ({ value: c, label: t(`projects.industry.${c}`) }))}
                data-testid="project-form-industry"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="industryCode"
              label={t('projects.fields.industryCode')}
              extra={t('projects.form.industryCodeHint')}
              rules={[{ max: 8, message: t('projects.form.length', { min: 0, max: 8 }) }]}
            >
              <Input maxLength={8} data-testid="project-form-industry-code" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="totalInvestmentWan"
              label={t('projects.fields.totalInvestment')}
              extra={
                belowThreshold && industryClass ? (
                  <span style={{ color: '#ad4e00' }} data-testid="project-form-threshold">
                    {t('projects.threshold.below', {
                      industry: t(`projects.industry.${industryClass}`),
                      threshold: formatWanAsYi(INCLUSION_THRESHOLD_WAN[industryClass]),
                    })}
                  </span>
                ) : undefined
              }
              rules={[
                {
                  required: true,
                  message: t('projects.form.required', { field: t('projects.fields.totalInvestment') }),
                },
                {
                  type: 'number',
                  min: 0.01,
                  max: 1e9,
                  message: t('projects.form.investmentRange'),
                },
              ]}
            >
              <InputNumber<number>
                min={0}
                max={1e9}
                precision={2}
                step={1000}
                style={{ width: '100%' }}
                suffix={t('projects.units.wan')}
                data-testid="project-form-investment"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="responsibleUnit"
              label={t('projects.fields.responsibleUnit')}
              rules={[required(t('projects.fields.responsibleUnit')), length(1, 200)]}
            >
              <Input maxLength={200} data-testid="project-form-unit" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="responsiblePerson"
              label={t('projects.fields.responsiblePerson')}
              rules={[{ max: 50, message: t('projects.form.length', { min: 0, max: 50 }) }]}
            >
              <Input maxLength={50} data-testid="project-form-person" />
            </Form.Item>
          </Col>
          {date('signedOn', t('projects.fields.signedOn'))}
          {date('plannedPerformanceOn', t('projects.fields.plannedPerformanceOn'))}
          {date('plannedStartOn', t('projects.fields.plannedStartOnDate'))}
          {date('plannedProductionOn', t('projects.fields.plannedProductionOn'))}
          {date('plannedEffectiveOn', t('projects.fields.plannedEffectiveOn'))}
        </Row>
      </Form>
    </Modal>
  );
}
