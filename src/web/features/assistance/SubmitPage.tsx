import { CameraOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, List, Select, Space, Typography, Upload, type UploadFile } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { fieldErrorsOf, newIdempotencyKey } from '../../app/api';
import { useCan } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { useApiMutation } from '../../components/useApiMutation';
import { uploadFile } from '../parks/api';
import {
  assistanceKey,
  createProblem,
  findDuplicates,
  firmOf,
  type ProblemInput,
  SOURCES,
  usePairedEnterprises,
} from './api';
import { useCategoryLabel } from './ui';

const MAX_PHOTO_BYTES = 20 * 1024 * 1024;

interface FormValues {
  enterpriseId?: string;
  source: string;
  category: string;
  title: string;
  description: string;
  priority?: string;
  complexity?: string;
}

/** Debounces a value (the duplicate search runs when typing pauses). */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/**
 * 提交诉求 (phone-first): an enterprise submits its own problem; a cadre (代企业提交) picks one of its paired firms;
 * officials may record a hotline or symposium problem. Photos come straight from the phone camera. While typing,
 * similar problems of the same firm and category are suggested, so a firm does not file the same thing twice.
 */
export default function SubmitPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [form] = Form.useForm<FormValues>();
  const onBehalf = can('assistance:visit');
  const official = can('assistance:manage');
  const paired = usePairedEnterprises(onBehalf);
  const { categories, label } = useCategoryLabel();
  const [photos, setPhotos] = useState<UploadFile<{ id: string }>[]>([]);
  const [key] = useState(newIdempotencyKey);

  const category = Form.useWatch('category', form);
  const title = Form.useWatch('title', form) ?? '';
  const enterpriseId = Form.useWatch('enterpriseId', form);
  // Duplicates are searched by the title (the firm's one-line summary): descriptions differ in length and wording
  // and dilute the trigram similarity the server uses, so suggestions appear as soon as the title is typed.
  const text = useDebounced(title.trim(), 400);

  const dupes = useQuery({
    queryKey: [...assistanceKey, 'duplicates', enterpriseId, category, text],
    queryFn: ({ signal }) => findDuplicates({ enterpriseId, category, text }, signal),
    enabled: !!category && text.length >= 4 && (!onBehalf || !!enterpriseId),
    retry: false,
  });

  const enterprises = new Map<string, string>();
  for (const p of paired.data?.items ?? []) enterprises.set(p.enterpriseId, firmOf(p));

  const submit = useApiMutation(
    (values: FormValues) => {
      const body: ProblemInput = {
        ...values,
        attachmentFileIds: photos.flatMap((p) => (p.response?.id ? [p.response.id] : [])),
      };
      return createProblem(body, key);
    },
    {
      onSuccess: (created) => {
        void queryClient.invalidateQueries({ queryKey: assistanceKey });
        void message.success(t('assistance.submit.done', { code: created.code }));
        navigate(`/assistance/problems/${created.id}`);
      },
      onError: (error) => {
        const fields = fieldErrorsOf(error);
        if (!fields.length) return false;
        form.setFields(fields.map((f) => ({ name: f.name as keyof FormValues, errors: [f.message] })));
        return true;
      },
    },
  );

  const uploading = photos.some((p) => p.status === 'uploading');

  return (
    <PageContainer title={onBehalf ? t('assistance.submit.onBehalfTitle') : t('assistance.submit.title')}>
      <Card style={{ maxWidth: 640 }} styles={{ body: { padding: 16 } }}>
        <Form<FormValues>
          form={form}
          layout="vertical"
          requiredMark
          initialValues={{
            source: onBehalf && !official ? 'cadre' : onBehalf ? 'hotline' : 'enterprise',
            enterpriseId: params.get('enterpriseId') ?? undefined,
            complexity: 'ordinary',
            priority: 'normal',
          }}
          onFinish={(v) => submit.mutate(v)}
          data-testid="problem-form"
        >
          {onBehalf ? (
            <>
              <Form.Item
                name="enterpriseId"
                label={t('assistance.fields.enterprise')}
                rules={[{ required: true, message: t('assistance.submit.enterpriseRequired') }]}
                extra={official ? undefined : t('assistance.submit.pairedOnly')}
              >
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={paired.isLoading}
                  options={[...enterprises].map(([value, name]) => ({ value, label: name }))}
                  placeholder={t('assistance.submit.chooseEnterprise')}
                  notFoundContent={t('assistance.submit.noPaired')}
                  data-testid="enterprise-select"
                />
              </Form.Item>
              <Form.Item name="source" label={t('assistance.fields.source')}>
                <Select
                  options={SOURCES.filter(
                    (s) => s !== 'enterprise' && (official || s === 'cadre' || s === 'symposium'),
                  ).map((s) => ({ value: s, label: t(`assistance.source.${s}`) }))}
                />
              </Form.Item>
            </>
          ) : null}
          <Form.Item
            name="category"
            label={t('assistance.fields.category')}
            rules={[{ required: true, message: t('assistance.submit.categoryRequired') }]}
          >
            <Select
              options={categories.map((c) => ({ value: c.code, label: label(c.code) }))}
              placeholder={t('assistance.submit.chooseCategory')}
              data-testid="category-select"
            />
          </Form.Item>
          <Form.Item
            name="title"
            label={t('assistance.fields.title')}
            rules={[{ required: true, whitespace: true, message: t('assistance.submit.titleRequired') }, { max: 100 }]}
          >
            <Input
              maxLength={100}
              showCount
              placeholder={t('assistance.submit.titlePlaceholder')}
              data-testid="title-input"
            />
          </Form.Item>
          <Form.Item
            name="description"
            label={t('assistance.fields.description')}
            rules={[
              { required: true, whitespace: true, message: t('assistance.submit.descriptionRequired') },
              { max: 2000 },
            ]}
          >
            <Input.TextArea
              rows={4}
              maxLength={2000}
              showCount
              placeholder={t('assistance.submit.descriptionPlaceholder')}
              data-testid="description-input"
            />
          </Form.Item>
          {dupes.data?.length ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('assistance.submit.duplicates')}
              data-testid="duplicates"
              description={
                <List
                  size="small"
                  dataSource={dupes.data.slice(0, 5)}
                  renderItem={(d) => (
                    <List.Item style={{ paddingInline: 0 }}>
                      <Link to={`/assistance/problems/${d.id}`}>
                        {d.code} {d.title}
                      </Link>
                      {d.similarity !== undefined ? (
                        <Typography.Text type="secondary"> {Math.round(d.similarity * 100)}%</Typography.Text>
                      ) : null}
                    </List.Item>
                  )}
                />
              }
            />
          ) : null}
          {onBehalf ? (
            <Space wrap size={16} style={{ width: '100%' }}>
              <Form.Item name="priority" label={t('assistance.fields.priority')}>
                <Select
                  style={{ width: 140 }}
                  options={['normal', 'high', 'urgent'].map((p) => ({
                    value: p,
                    label: t(`assistance.priority.${p}`),
                  }))}
                />
              </Form.Item>
              <Form.Item name="complexity" label={t('assistance.fields.complexity')}>
                <Select
                  style={{ width: 140 }}
                  options={['ordinary', 'complex'].map((p) => ({ value: p, label: t(`assistance.complexity.${p}`) }))}
                />
              </Form.Item>
            </Space>
          ) : null}
          <Form.Item label={t('assistance.fields.photos')} extra={t('assistance.submit.photosHint')}>
            <Upload<{ id: string }>
              accept="image/*"
              capture="environment"
              listType="picture"
              multiple
              maxCount={6}
              fileList={photos}
              onChange={({ fileList }) => setPhotos(fileList)}
              beforeUpload={(f) => {
                if (f.size > MAX_PHOTO_BYTES) {
                  void message.error(t('assistance.submit.photoTooLarge'));
                  return Upload.LIST_IGNORE;
                }
                return true;
              }}
              customRequest={({ file, onSuccess, onError }) => {
                uploadFile<{ id: string }>('/files', file as File)
                  .then((r) => onSuccess?.(r))
                  .catch((e: Error) => {
                    void message.error(e.message);
                    onError?.(e);
                  });
              }}
              data-testid="photo-upload"
            >
              <Button icon={<CameraOutlined />} block>
                {t('assistance.submit.takePhoto')}
              </Button>
            </Upload>
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            size="large"
            loading={submit.isPending}
            disabled={uploading}
            data-testid="problem-submit"
          >
            {t('assistance.submit.submit')}
          </Button>
        </Form>
      </Card>
    </PageContainer>
  );
}
