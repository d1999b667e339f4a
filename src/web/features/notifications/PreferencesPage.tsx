/** 通知设置: the signed-in user's e-mail address, e-mail mode per category and digest frequency (issue #21). */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Input, Radio, Segmented, Skeleton, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, fieldErrorsOf, isApiError } from '../../app/api';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { type DigestFrequency, type EmailMode, type NoticeCategory, type Preferences, preferencesKey } from './api';

const CATEGORIES: NoticeCategory[] = ['supervision', 'deadline', 'workflow', 'system'];
const MODES: EmailMode[] = ['immediate', 'digest', 'off'];
const DIGESTS: DigestFrequency[] = ['daily', 'weekly', 'off'];

interface FormValues {
  email?: string;
  categories: Record<NoticeCategory, EmailMode>;
  digest: DigestFrequency;
}

export default function PreferencesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [editingEmail, setEditingEmail] = useState(false);
  const [removeEmail, setRemoveEmail] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const prefs = useQuery({
    queryKey: preferencesKey,
    queryFn: ({ signal }) => api.get<Preferences>('/notifications/preferences', undefined, signal),
  });

  useEffect(() => {
    if (prefs.data) form.setFieldsValue({ categories: prefs.data.categories, digest: prefs.data.digest, email: '' });
  }, [prefs.data, form]);

  const onFinish = async (v: FormValues) => {
    setError(null);
    setSaving(true);
    try {
      const email = removeEmail
        ? null
        : editingEmail || !prefs.data?.hasEmail
          ? v.email?.trim() || undefined
          : undefined;
      const saved = await api.put<Preferences>('/notifications/preferences', {
        categories: v.categories,
        digest: v.digest,
        ...(email === undefined ? {} : { email }),
      });
      queryClient.setQueryData(preferencesKey, saved);
      setEditingEmail(false);
      setRemoveEmail(false);
      void message.success(t('channels.prefs.saved'));
    } catch (e) {
      const fields = fieldErrorsOf(e);
      if (fields.some((f) => f.name === 'email'))
        form.setFields([{ name: 'email', errors: [t('channels.prefs.emailInvalid')] }]);
      setError(isApiError(e) || e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setSaving(false);
    }
  };

  if (prefs.isError) {
    return (
      <PageContainer title={t('channels.prefs.title')}>
        <QueryError error={prefs.error} onRetry={() => void prefs.refetch()} />
      </PageContainer>
    );
  }
  const p = prefs.data;
  const showEmailInput = !!p && (!p.hasEmail || editingEmail) && !removeEmail;

  return (
    <PageContainer title={t('channels.prefs.title')}>
      <Card style={{ maxWidth: 880 }}>
        {!p ? (
          <Skeleton active />
        ) : (
          <Form<FormValues>
            form={form}
            layout="vertical"
            name="notification-preferences"
            onFinish={(v) => void onFinish(v)}
            data-testid="notification-preferences"
          >
            <Typography.Paragraph type="secondary">{t('channels.prefs.intro')}</Typography.Paragraph>
            {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
            {!p.smtpConfigured ? (
              <Alert type="warning" showIcon title={t('channels.prefs.smtpMissing')} style={{ marginBottom: 16 }} />
            ) : null}

            <Form.Item label={t('channels.prefs.email')} required={false}>
              {p.hasEmail && !editingEmail && !removeEmail ? (
                <Flex gap={8} wrap align="center">
                  <Typography.Text data-testid="email-masked">
                    {t('channels.prefs.emailCurrent', { email: p.emailMasked })}
                  </Typography.Text>
                  <Button size="small" onClick={() => setEditingEmail(true)}>
                    {t('channels.prefs.emailChange')}
                  </Button>
                  <Button size="small" danger onClick={() => setRemoveEmail(true)}>
                    {t('channels.prefs.emailRemove')}
                  </Button>
                </Flex>
              ) : null}
              {removeEmail ? (
                <Flex gap={8} wrap align="center">
                  <Typography.Text type="warning">{t('channels.prefs.emailNone')}</Typography.Text>
                  <Button size="small" onClick={() => setRemoveEmail(false)}>
                    {t('common.cancel')}
                  </Button>
                </Flex>
              ) : null}
              {showEmailInput ? (
                <Form.Item name="email" noStyle rules={[{ type: 'email', message: t('channels.prefs.emailInvalid') }]}>
                  <Input
                    type="email"
                    autoComplete="email"
                    placeholder={t('channels.prefs.emailPlaceholder')}
                    style={{ maxWidth: 360 }}
                    data-testid="email-input"
                  />
                </Form.Item>
              ) : null}
              {!p.hasEmail && !editingEmail ? (
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                  {t('channels.prefs.emailNone')}
                </Typography.Paragraph>
              ) : null}
            </Form.Item>

            <Typography.Title level={5}>{t('channels.prefs.matrix')}</Typography.Title>
            <Flex vertical gap={12} style={{ marginBottom: 24 }} data-testid="category-modes">
              {CATEGORIES.map((c) => (
                <Flex
                  key={c}
                  wrap
                  gap={8}
                  justify="space-between"
                  align="center"
                  style={{ borderBottom: '1px solid rgba(5,5,5,0.06)', paddingBottom: 12 }}
                >
                  <div style={{ minWidth: 200, flex: '1 1 260px' }}>
                    <Typography.Text strong>{t(`channels.categories.${c}`)}</Typography.Text>
                    <Tag style={{ marginInlineStart: 8 }}>{t('channels.prefs.inAppAlways')}</Tag>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t(`channels.categoryHelp.${c}`)}
                      </Typography.Text>
                    </div>
                  </div>
                  <Form.Item name={['categories', c]} noStyle>
                    <Radio.Group
                      optionType="button"
                      size="small"
                      aria-label={`${t(`channels.categories.${c}`)} ${t('channels.prefs.emailMode')}`}
                      data-testid={`mode-${c}`}
                      options={MODES.map((m) => ({ value: m, label: t(`channels.modes.${m}`) }))}
                    />
                  </Form.Item>
                </Flex>
              ))}
            </Flex>

            <Form.Item name="digest" label={t('channels.prefs.digest')} extra={t('channels.prefs.digestHelp')}>
              <Segmented
                data-testid="digest"
                options={DIGESTS.map((d) => ({ value: d, label: t(`channels.digests.${d}`) }))}
              />
            </Form.Item>
            <Typography.Paragraph type="secondary">{t('channels.prefs.robotsHint')}</Typography.Paragraph>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="preferences-save">
              {t('common.save')}
            </Button>
          </Form>
        )}
      </Card>
    </PageContainer>
  );
}
