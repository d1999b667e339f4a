import { App, Button, Card, DatePicker, Empty, Flex, Form, Input, List, Modal, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../app/api';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { usePagedList } from '../../components/usePagedList';
import { firmOf, type Pairing } from './api';

interface ReasonForm {
  from: Dayjs;
  to: Dayjs;
  reason: string;
}

/** 我的包联企业 (cadre, phone-first): the firms paired with the cadre, with shortcuts to their calendar and 代提诉求. */
export default function PairedPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = usePagedList<Pairing>({ key: 'assistance-pairings', path: '/assistance/pairings', pageSize: 20 });
  const { state, setFilters, setPage } = list;
  const { message } = App.useApp();
  const [reasonOpen, setReasonOpen] = useState(false);
  const [form] = Form.useForm<ReasonForm>();
  const cadreId = list.query.data?.items[0]?.cadreId;
  const saveReason = useApiMutation(
    (v: ReasonForm) =>
      api.post(`/assistance/cadres/${cadreId}/no-visit-reason`, {
        from: v.from.format('YYYY-MM-DD'),
        to: v.to.format('YYYY-MM-DD'),
        reason: v.reason,
      }),
    {
      onSuccess: () => {
        void message.success(t('assistance.paired.reasonSaved'));
        setReasonOpen(false);
        form.resetFields();
      },
    },
  );
  return (
    <PageContainer
      title={t('assistance.paired.title')}
      extra={
        cadreId ? (
          <Button onClick={() => setReasonOpen(true)} data-testid="no-visit-reason">
            {t('assistance.paired.noVisitReason')}
          </Button>
        ) : null
      }
    >
      <Modal
        open={reasonOpen}
        title={t('assistance.paired.noVisitReason')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onCancel={() => setReasonOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={saveReason.isPending}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('assistance.paired.noVisitHint')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={(v) => saveReason.mutate(v)}>
          <Flex gap={12} wrap>
            <Form.Item
              name="from"
              label={t('assistance.paired.from')}
              rules={[{ required: true, message: t('assistance.form.required') }]}
            >
              <DatePicker data-testid="reason-from" />
            </Form.Item>
            <Form.Item
              name="to"
              label={t('assistance.paired.to')}
              dependencies={['from']}
              rules={[
                { required: true, message: t('assistance.form.required') },
                ({ getFieldValue }) => ({
                  validator: (_, v?: Dayjs) => {
                    const from = getFieldValue('from') as Dayjs | undefined;
                    return !v || !from || !v.isBefore(from, 'day')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('assistance.paired.toBeforeFrom')));
                  },
                }),
              ]}
            >
              <DatePicker data-testid="reason-to" />
            </Form.Item>
          </Flex>
          <Form.Item
            name="reason"
            label={t('assistance.coverage.reason')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('assistance.form.required') }]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
      <Space orientation="vertical" style={{ width: '100%', maxWidth: 720 }} size={12}>
        <Input.Search
          allowClear
          placeholder={t('assistance.paired.search')}
          onSearch={(q) => setFilters({ ...state.filters, q })}
        />
        {list.query.error ? <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} /> : null}
        <List<Pairing>
          loading={list.query.isLoading}
          dataSource={list.query.data?.items ?? []}
          locale={{ emptyText: <Empty description={t('assistance.paired.empty')} /> }}
          pagination={{
            current: state.page,
            pageSize: state.pageSize,
            total: list.query.data?.total ?? 0,
            onChange: (p) => setPage(p),
            size: 'small',
            hideOnSinglePage: true,
          }}
          renderItem={(p) => (
            <List.Item style={{ paddingInline: 0 }}>
              <Card size="small" style={{ width: '100%' }} data-testid="paired-card">
                <Typography.Text strong>{firmOf(p)}</Typography.Text>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {[p.groupName, p.fromOn ? t('assistance.paired.since', { date: p.fromOn.slice(0, 10) }) : null]
                      .filter(Boolean)
                      .join(' · ')}
                  </Typography.Text>
                </div>
                <Flex gap={8} wrap style={{ marginTop: 8 }}>
                  <Button size="small" onClick={() => navigate(`/assistance/submit?enterpriseId=${p.enterpriseId}`)}>
                    {t('assistance.paired.submit')}
                  </Button>
                  <Button size="small" onClick={() => navigate(`/assistance/visits?enterpriseId=${p.enterpriseId}`)}>
                    {t('assistance.paired.calendar')}
                  </Button>
                </Flex>
              </Card>
            </List.Item>
          )}
        />
      </Space>
    </PageContainer>
  );
}
