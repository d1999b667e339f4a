/**
 * Park registry forms (issue #18): 新建 / 编辑 (POST / PATCH /api/v1/parks), 推进阶段 (POST …/stage) and 认定
 * (recognition level, batch and date through PATCH with the record's version). Server field errors
 * (`details.fields`, DUPLICATE) are shown on the fields they name.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, fieldErrorsOf, isApiError, newIdempotencyKey, type Paged } from '../../app/api';
import { useCan } from '../../app/guards';
import {
  DEVELOPMENT_MODES,
  type DevelopmentMode,
  PARK_CATEGORIES,
  PARK_STAGES,
  type Park,
  type ParkCategory,
  type ParkStage,
  parksKey,
  RECOGNITION_LEVELS,
  type RecognitionLevel,
  useDistricts,
} from './api';

const DAY = 'YYYY-MM-DD';
const INDUSTRY_CODE = /^[A-T](\d{2,4})?$/;

/** The fields of the create schema (src/server/modules/parks/routes.ts `inputSchema`) the form edits. */
interface ParkFormValues {
  code: string;
  name: string;
  regionCode: string;
  address?: string;
  lng?: number | null;
  lat?: number | null;
  category: ParkCategory;
  developmentMode: DevelopmentMode;
  operatorOrgId?: string | null;
  landAreaMu: number;
  floorAreaM2: number;
  plannedInvestmentWan: number;
  industryCodes?: string[];
  positioning?: string;
  monitoredFrom?: Dayjs | null;
  monitoredUntil?: Dayjs | null;
}

const FORM_FIELDS: (keyof ParkFormValues)[] = [
  'code',
  'name',
  'regionCode',
  'address',
  'lng',
  'lat',
  'category',
  'developmentMode',
  'operatorOrgId',
  'landAreaMu',
  'floorAreaM2',
  'plannedInvestmentWan',
  'industryCodes',
  'positioning',
  'monitoredFrom',
  'monitoredUntil',
];

const dayOf = (v: string | null | undefined) => (v ? dayjs(v) : null);
const isoOf = (v: Dayjs | null | undefined) => (v ? v.format(DAY) : null);

/**
 * Shows a refused write on the form: field errors of `details.fields` (zod's `body.x` or a use case's bare `x`, the
 * index of an array item dropped), DUPLICATE on the field it names; anything else is returned for an alert.
 */
export function showServerErrors<T>(
  form: ReturnType<typeof Form.useForm<T>>[0],
  fields: readonly string[],
  error: unknown,
  fallback: string,
  duplicate?: { field: string; message: string },
): string | null {
  if (!isApiError(error)) return fallback;
  if (error.code === 'DUPLICATE' && duplicate && fields.includes(duplicate.field)) {
    // the server names the column ('code') in its message: the form says it in the user's words
    form.setFields([{ name: duplicate.field as never, errors: [duplicate.message] }]);
    return null;
  }
  const named = [...fieldErrorsOf(error), ...fieldErrorsOf(error, '')]
    .map((f) => ({ name: f.name.split('.')[0]!, message: f.message }))
    .filter((f) => fields.includes(f.name));
  if (!named.length) return error.message;
  const byField = new Map<string, string[]>();
  for (const f of named) {
    // a use case's own messages are not localized ('unknown region'): the answer's message is
    const message = /[\u4e00-\u9fff]/.test(f.message) || /\s/.test(f.message.trim()) ? f.message : error.message;
    byField.set(f.name, [...(byField.get(f.name) ?? []), message]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name: name as never, errors: [...new Set(errors)] })));
  return null;
}

function useOperators(enabled: boolean) {
  return useQuery({
    queryKey: ['orgs', 'park_operator'],
    queryFn: ({ signal }) =>
      api.get<Paged<{ id: string; name: string; regionCode: string | null }>>(
        '/orgs',
        { kind: 'park_operator', pageSize: 100, sort: 'name', order: 'asc' },
        signal,
      ),
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** 新建园区 (no `park`) or 编辑 (prefilled; PATCH with the record's version). */
export function ParkFormModal({
  open,
  park,
  onClose,
  onSaved,
}: {
  open: boolean;
  park?: Park;
  onClose: () => void;
  onSaved?: (park: { id: string }) => void;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ParkFormValues>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const districts = useDistricts(open && can('regions:read'));
  const operators = useOperators(open && can('orgs:read'));
  const regionOptions = (districts.data?.items ?? [])
    .filter((r) => r.inScope !== false)
    .map((r) => ({ value: r.code, label: r.name }));
  if (park && !regionOptions.some((o) => o.value === park.regionCode))
    regionOptions.push({ value: park.regionCode, label: park.regionName });
  const regionCode = Form.useWatch('regionCode', form);
  // a district admin has one district: chosen for them once the list has come
  const onlyRegion = !park && regionOptions.length === 1 ? regionOptions[0]!.value : null;
  useEffect(() => {
    if (open && onlyRegion && !form.getFieldValue('regionCode')) form.setFieldValue('regionCode', onlyRegion);
  }, [open, onlyRegion, form]);

  const initialValues: Partial<ParkFormValues> = park
    ? {
        code: park.code,
        name: park.name,
        regionCode: park.regionCode,
        address: park.address,
        lng: park.lng,
        lat: park.lat,
        category: park.category,
        developmentMode: park.developmentMode,
        operatorOrgId: park.operatorOrgId,
        landAreaMu: park.landAreaMu,
        floorAreaM2: park.floorAreaM2,
        plannedInvestmentWan: park.plannedInvestmentWan,
        industryCodes: park.industryCodes,
        positioning: park.positioning,
        monitoredFrom: dayOf(park.monitoredFrom),
        monitoredUntil: dayOf(park.monitoredUntil),
      }
    : { regionCode: regionOptions.length === 1 ? regionOptions[0]!.value : undefined, industryCodes: [] };

  const close = () => {
    form.resetFields();
    setFormError(null);
    setKey(newIdempotencyKey());
    onClose();
  };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    const body = {
      code: v.code.trim(),
      name: v.name.trim(),
      regionCode: v.regionCode,
      address: v.address?.trim() ?? '',
      lng: v.lng ?? null,
      lat: v.lat ?? null,
      category: v.category,
      developmentMode: v.developmentMode,
      operatorOrgId: v.operatorOrgId ?? null,
      landAreaMu: v.landAreaMu,
      floorAreaM2: v.floorAreaM2,
      plannedInvestmentWan: v.plannedInvestmentWan,
      industryCodes: (v.industryCodes ?? []).map((c) => c.trim().toUpperCase()).filter(Boolean),
      positioning: v.positioning?.trim() ?? '',
      monitoredFrom: isoOf(v.monitoredFrom),
      monitoredUntil: isoOf(v.monitoredUntil),
    };
    setBusy(true);
    setFormError(null);
    try {
      const saved = park
        ? await api.patch<{ id: string; version: number }>(`/parks/${park.id}`, { ...body, version: park.version })
        : await api.post<Park>('/parks', body, { headers: { 'Idempotency-Key': key } });
      await queryClient.invalidateQueries({ queryKey: parksKey });
      void message.success(t(park ? 'parks.form.updated' : 'parks.form.created'));
      form.resetFields();
      setKey(newIdempotencyKey());
      onSaved?.(saved);
      onClose();
    } catch (e) {
      setKey(newIdempotencyKey());
      const rest = showServerErrors(form, FORM_FIELDS, e, t('errors.unknown'), {
        field: 'code',
        message: t('parks.form.codeTaken'),
      });
      setFormError(isApiError(e) && e.code === 'CONFLICT' ? t('parks.form.conflict') : rest);
    } finally {
      setBusy(false);
    }
  };

  const options = <T extends string>(values: readonly T[], prefix: string) =>
    values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }));
  const half = { xs: 24, sm: 12 };

  return (
    <Modal
      open={open}
      title={t(park ? 'parks.form.editTitle' : 'parks.form.createTitle')}
      onCancel={close}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'park-form-submit' }}
      width={760}
      destroyOnHidden
      forceRender={false}
      data-testid="park-form"
    >
      {formError ? (
        <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="park-form-error" />
      ) : null}
      <Form<ParkFormValues>
        form={form}
        name="parkForm"
        layout="vertical"
        initialValues={initialValues}
        preserve={false}
        onValuesChange={() => setFormError(null)}
      >
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item
              name="code"
              label={t('parks.fields.code')}
              rules={[{ required: true, whitespace: true, message: t('parks.form.required') }]}
            >
              <Input maxLength={40} data-testid="park-form-code" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name="name"
              label={t('parks.form.name')}
              rules={[{ required: true, whitespace: true, message: t('parks.form.required') }]}
            >
              <Input maxLength={200} data-testid="park-form-name" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name="regionCode"
              label={t('parks.fields.region')}
              rules={[{ required: true, message: t('parks.form.required') }]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={districts.isLoading}
                options={regionOptions}
                data-testid="park-form-region"
              />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="operatorOrgId" label={t('parks.form.operator')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                loading={operators.isLoading}
                options={(operators.data?.items ?? [])
                  .filter((o) => !regionCode || !o.regionCode || o.regionCode.startsWith(regionCode.slice(0, 4)))
                  .map((o) => ({ value: o.id, label: o.name }))}
                placeholder={t('parks.form.operatorNone')}
              />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name="category"
              label={t('parks.fields.category')}
              rules={[{ required: true, message: t('parks.form.required') }]}
            >
              <Select options={options(PARK_CATEGORIES, 'parks.category')} data-testid="park-form-category" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name="developmentMode"
              label={t('parks.fields.developmentMode')}
              rules={[{ required: true, message: t('parks.form.required') }]}
            >
              <Select options={options(DEVELOPMENT_MODES, 'parks.developmentMode')} data-testid="park-form-mode" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              name="landAreaMu"
              label={t('parks.fields.landAreaMu')}
              rules={[{ required: true, message: t('parks.form.required') }]}
            >
              <InputNumber min={0} max={1e6} precision={2} style={{ width: '100%' }} data-testid="park-form-land" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              name="floorAreaM2"
              label={t('parks.fields.floorAreaM2')}
              rules={[{ required: true, message: t('parks.form.required') }]}
            >
              <InputNumber min={0} max={1e9} precision={2} style={{ width: '100%' }} data-testid="park-form-floor" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              name="plannedInvestmentWan"
              label={t('parks.fields.plannedInvestmentWan')}
              rules={[{ required: true, message: t('parks.form.required') }]}
            >
              <InputNumber
                min={0}
                max={1e9}
                precision={2}
                style={{ width: '100%' }}
                data-testid="park-form-investment"
              />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name="industryCodes"
              label={t('parks.fields.industry')}
              tooltip={t('parks.form.industryHelp')}
              rules={[
                {
                  validator: async (_, value: string[] | undefined) => {
                    const bad = (value ?? []).filter((c) => !INDUSTRY_CODE.test(c.trim().toUpperCase()));
                    if (bad.length) throw new Error(t('parks.form.industryInvalid', { codes: bad.join(', ') }));
                  },
                },
              ]}
            >
              <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} suffixIcon={null} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="positioning" label={t('parks.form.positioning')}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="address" label={t('parks.fields.address')}>
              <Input maxLength={300} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="lng" label={t('parks.form.lng')}>
              <InputNumber min={73} max={136} precision={6} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="lat" label={t('parks.form.lat')}>
              <InputNumber min={3} max={54} precision={6} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="monitoredFrom" label={t('parks.fields.monitoredFrom')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="monitoredUntil" label={t('parks.form.monitoredUntil')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

interface StageValues {
  stage: ParkStage;
  on: Dayjs;
}

/** 推进阶段: a later stage (skipping is allowed, going back is not) and the day it was reached. */
export function StageModal({ open, park, onClose }: { open: boolean; park: Park; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<StageValues>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const later = PARK_STAGES.slice(PARK_STAGES.indexOf(park.stage) + 1);

  const close = () => {
    setFormError(null);
    onClose();
  };
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setBusy(true);
    setFormError(null);
    try {
      await api.post(`/parks/${park.id}/stage`, { stage: v.stage, on: v.on.format(DAY) });
      await queryClient.invalidateQueries({ queryKey: parksKey });
      void message.success(t('parks.form.stageMoved', { stage: t(`parks.stage.${v.stage}`) }));
      close();
    } catch (e) {
      setFormError(showServerErrors(form, ['stage', 'on'], e, t('errors.unknown')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('parks.form.stageTitle')}
      onCancel={close}
      onOk={() => void submit()}
      okText={t('parks.form.stageSubmit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'stage-submit', disabled: !later.length }}
      destroyOnHidden
    >
      {formError ? (
        <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="stage-error" />
      ) : null}
      {later.length ? (
        <Form<StageValues>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ stage: later[0], on: dayjs() }}
          onValuesChange={() => setFormError(null)}
        >
          <Form.Item label={t('parks.form.stageCurrent')}>
            <span data-testid="stage-current">{t(`parks.stage.${park.stage}`)}</span>
          </Form.Item>
          <Form.Item
            name="stage"
            label={t('parks.form.stageNext')}
            rules={[{ required: true, message: t('parks.form.required') }]}
          >
            <Select
              options={later.map((s) => ({ value: s, label: t(`parks.stage.${s}`) }))}
              data-testid="stage-select"
            />
          </Form.Item>
          <Form.Item
            name="on"
            label={t('parks.form.stageOn')}
            rules={[{ required: true, message: t('parks.form.required') }]}
          >
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              data-testid="stage-on"
            />
          </Form.Item>
        </Form>
      ) : (
        <Alert type="info" showIcon title={t('parks.form.stageLast')} />
      )}
    </Modal>
  );
}

interface RecognitionValues {
  recognitionLevel: RecognitionLevel | null;
  recognitionBatch?: string;
  recognizedOn?: Dayjs | null;
}

/** 认定: level, batch and date of the park's recognition (PATCH with the record's version); a level may be removed. */
export function RecognitionModal({ open, park, onClose }: { open: boolean; park: Park; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RecognitionValues>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const level = Form.useWatch('recognitionLevel', form);

  const close = () => {
    setFormError(null);
    onClose();
  };
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setBusy(true);
    setFormError(null);
    try {
      const body = v.recognitionLevel
        ? {
            recognitionLevel: v.recognitionLevel,
            recognitionBatch: v.recognitionBatch?.trim() || null,
            recognizedOn: isoOf(v.recognizedOn),
          }
        : { recognitionLevel: null, recognitionBatch: null, recognizedOn: null };
      await api.patch(`/parks/${park.id}`, { ...body, version: park.version });
      await queryClient.invalidateQueries({ queryKey: parksKey });
      void message.success(t('parks.form.recognitionSaved'));
      close();
    } catch (e) {
      const rest = showServerErrors(
        form,
        ['recognitionLevel', 'recognitionBatch', 'recognizedOn'],
        e,
        t('errors.unknown'),
      );
      setFormError(isApiError(e) && e.code === 'CONFLICT' ? t('parks.form.conflict') : rest);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('parks.form.recognitionTitle')}
      onCancel={close}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'recognition-submit' }}
      destroyOnHidden
    >
      {formError ? (
        <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="recognition-error" />
      ) : null}
      <Form<RecognitionValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          recognitionLevel: park.recognitionLevel,
          recognitionBatch: park.recognitionBatch ?? '',
          recognizedOn: dayOf(park.recognizedOn),
        }}
        onValuesChange={() => setFormError(null)}
      >
        <Form.Item name="recognitionLevel" label={t('parks.fields.recognitionLevel')}>
          <Select
            allowClear
            placeholder={t('parks.recognition.none')}
            options={RECOGNITION_LEVELS.map((l) => ({ value: l, label: t(`parks.recognition.${l}`) }))}
            data-testid="recognition-level"
          />
        </Form.Item>
        <Form.Item name="recognitionBatch" label={t('parks.form.recognitionBatch')}>
          <Input maxLength={50} disabled={!level} placeholder={t('parks.form.recognitionBatchHint')} />
        </Form.Item>
        <Form.Item
          name="recognizedOn"
          label={t('parks.form.recognizedOn')}
          rules={[{ required: !!level, message: t('parks.form.required') }]}
        >
          <DatePicker
            style={{ width: '100%' }}
            disabled={!level}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            data-testid="recognition-on"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
