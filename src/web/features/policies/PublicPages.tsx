/**
 * The public, no-login policy pages (/p/policies and /p/policies/:id), outside the authenticated shell: published
 * policies only (GET /api/public/policies…), a calculator-free reading view with the clauses in plain sentences.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Empty, Input, Layout, List, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api, isApiError } from '../../app/api';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { Logo } from '../../components/Logo';
import { QueryError } from '../../components/QueryError';
import { descriptionLines, listPublic, type PolicyDetail } from './api';
import { describeLines } from './describe';
import { ChannelTag, Highlight, LevelTag, ServerHtml } from './tags';

function PublicShell({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          background: '#fff',
          display: 'flex',
          alignItems: 'center',
          gap: 12,
          paddingInline: 16,
          borderBottom: '1px solid #f0f0f0',
        }}
      >
        <Link to="/p/policies" style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          <Logo />
          <Typography.Text strong>{t('policies.public.title')}</Typography.Text>
        </Link>
        <div style={{ flex: 1 }} />
        <LanguageSwitch compact />
        <Link to="/login">{t('policies.public.login')}</Link>
      </Layout.Header>
      <Layout.Content style={{ padding: 16, maxWidth: 1000, width: '100%', margin: '0 auto' }}>
        {children}
      </Layout.Content>
    </Layout>
  );
}

export function PublicListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['public-policies', q, page],
    queryFn: ({ signal }) => listPublic({ q, page, pageSize: 20 }, signal),
  });
  return (
    <PublicShell>
      <Input.Search
        defaultValue={q}
        allowClear
        enterButton
        placeholder={t('policies.list.searchPlaceholder')}
        onSearch={(v) => {
          setPage(1);
          setParams(v.trim() ? { q: v.trim() } : {}, { replace: true });
        }}
        style={{ marginBottom: 16 }}
        data-testid="public-search"
      />
      {list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Card>
          <List
            loading={list.isPending}
            dataSource={list.data?.items ?? []}
            locale={{ emptyText: <Empty description={t('policies.list.emptyFiltered')} /> }}
            pagination={{
              current: page,
              pageSize: 20,
              total: list.data?.total ?? 0,
              onChange: setPage,
              showSizeChanger: false,
              showTotal: (n) => t('common.total', { count: n }),
            }}
            renderItem={(p) => (
              <List.Item data-testid="public-policy">
                <List.Item.Meta
                  title={
                    <Link to={`/p/policies/${p.id}`}>
                      <Highlight text={p.title} q={q} />
                    </Link>
                  }
                  description={
                    <Space wrap size={4}>
                      <Typography.Text type="secondary">{p.issuerName}</Typography.Text>
                      {p.docNo ? <Typography.Text type="secondary">{p.docNo}</Typography.Text> : null}
                      <LevelTag level={p.level} />
                      <ChannelTag channel={p.channel} />
                      {p.applyTo ? <Tag color="orange">{t('policies.my.deadline', { date: p.applyTo })}</Tag> : null}
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
      )}
    </PublicShell>
  );
}

export function PublicDetailPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { t, i18n } = useTranslation();
  const policy = useQuery({
    queryKey: ['public-policies', 'detail', id],
    queryFn: ({ signal }) => api.get<PolicyDetail>(`/api/public/policies/${encodeURIComponent(id)}`, undefined, signal),
    retry: false,
  });
  let body: React.ReactNode;
  if (policy.isPending) body = <Skeleton active />;
  else if (policy.isError)
    body =
      isApiError(policy.error) && policy.error.status === 404 ? (
        <Result
          status="404"
          title={t('policies.public.notFound')}
          extra={<Link to="/p/policies">{t('policies.public.back')}</Link>}
        />
      ) : (
        <QueryError error={policy.error} onRetry={() => void policy.refetch()} />
      );
  else {
    const p = policy.data;
    body = (
      <Card data-testid="public-policy-detail">
        <Typography.Title level={3}>{p.title}</Typography.Title>
        <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('policies.fields.docNo')}>{p.docNo ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('policies.fields.issuer')}>{p.issuerName}</Descriptions.Item>
          <Descriptions.Item label={t('policies.fields.level')}>
            <LevelTag level={p.level} />
            <ChannelTag channel={p.channel} />
          </Descriptions.Item>
          <Descriptions.Item label={t('policies.fields.publishedOn')}>{p.publishedOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('policies.fields.effective')}>
            {p.effectiveFrom ?? '—'} ~ {p.expiresOn ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('policies.fields.applyWindow')}>
            {p.applyFrom ?? '—'} ~ {p.applyTo ?? '—'}
          </Descriptions.Item>
        </Descriptions>
        {p.summary ? <Typography.Paragraph type="secondary">{p.summary}</Typography.Paragraph> : null}
        {p.bodyHtml ? <ServerHtml html={p.bodyHtml} testId="public-policy-body" /> : null}
        {p.clauses?.length ? (
          <>
            <Typography.Title level={5}>{t('policies.public.who')}</Typography.Title>
            {p.clauses.map((c, i) => {
              const lines = descriptionLines(c.description);
              return (
                <Card
                  key={c.id ?? i}
                  size="small"
                  title={`${i + 1}. ${c.title}`}
                  style={{ marginBottom: 8 }}
                  data-testid="public-clause"
                >
                  {(lines.length ? lines : describeLines(c.eligibility, i18n.language)).map((l, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: sentence lines
                    <div key={j} style={{ whiteSpace: 'pre-wrap' }}>
                      {l}
                    </div>
                  ))}
                </Card>
              );
            })}
          </>
        ) : null}
      </Card>
    );
  }
  return <PublicShell>{body}</PublicShell>;
}
