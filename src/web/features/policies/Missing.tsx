/**
 * The data a verdict waits for: facts the firm lacks (缺少数据, with the department that holds them) and facts the
 * firm has only from a source below the clause's demand (需核实, issue #15: the district or park has to verify them).
 */
import { Alert, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MissingFact } from './api';

export function splitMissing(missing: MissingFact[] | undefined) {
  const all = missing ?? [];
  return { verify: all.filter((m) => m.needsVerification), absent: all.filter((m) => !m.needsVerification) };
}

/** "需核实：租用面积" as a tag. */
export function VerifyTag({ m }: { m: MissingFact }) {
  const { t } = useTranslation();
  return (
    <Tag color="orange" data-testid="needs-verification">
      {t('policies.verify.tag', { fact: m.label ?? m.fact })}
    </Tag>
  );
}

/** Alerts for a card or a drawer: 需核实 first (with whom to contact), then 缺少数据. */
export function MissingAlerts({ missing, testId }: { missing: MissingFact[] | undefined; testId?: string }) {
  const { t } = useTranslation();
  const { verify, absent } = splitMissing(missing);
  if (!verify.length && !absent.length) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={8} data-testid={testId}>
      {verify.length ? (
        <Alert
          type="warning"
          showIcon
          title={t('policies.verify.title')}
          description={
            <>
              <Space size={[4, 4]} wrap>
                {verify.map((m) => (
                  <VerifyTag key={m.fact} m={m} />
                ))}
              </Space>
              <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0' }}>
                {t('policies.verify.hint')}
              </Typography.Paragraph>
            </>
          }
          data-testid="needs-verification-alert"
        />
      ) : null}
      {absent.length ? (
        <Alert
          type="info"
          showIcon
          title={t('policies.my.missingTitle')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {absent.map((m) => (
                <li key={m.fact}>
                  {t('policies.matches.missingFact', { fact: m.label ?? m.fact, source: m.source ?? '—' })}
                </li>
              ))}
            </ul>
          }
          data-testid="missing-alert"
        />
      ) : null}
    </Space>
  );
}

/** Compact lines for a table cell. */
export function MissingCell({ missing }: { missing: MissingFact[] | undefined }) {
  const { t } = useTranslation();
  const { verify, absent } = splitMissing(missing);
  if (!verify.length && !absent.length) return <>—</>;
  return (
    <Space orientation="vertical" size={2}>
      {verify.length ? (
        <Space size={[4, 4]} wrap>
          {verify.map((m) => (
            <VerifyTag key={m.fact} m={m} />
          ))}
        </Space>
      ) : null}
      {absent.map((m) => (
        <Typography.Text key={m.fact} type="secondary" style={{ fontSize: 12 }}>
          {t('policies.matches.missingFact', { fact: m.label ?? m.fact, source: m.source ?? '—' })}
        </Typography.Text>
      ))}
    </Space>
  );
}
