import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Channel, type Level, type MinSource, type PolicyStatus, snippetParts } from './api';

export const STATUS_COLORS: Record<PolicyStatus, string> = {
  draft: 'default',
  review: 'processing',
  approved: 'cyan',
  published: 'success',
  expired: 'warning',
  withdrawn: 'error',
};

const CHANNEL_COLORS: Record<Channel, string> = { mianshen: 'magenta', kuaishen: 'geekblue', ordinary: 'default' };

export function StatusTag({ status }: { status: PolicyStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid="policy-status">
      {t(`policies.status.${status}`)}
    </Tag>
  );
}

export function ChannelTag({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  return <Tag color={CHANNEL_COLORS[channel] ?? 'default'}>{t(`policies.channel.${channel}`)}</Tag>;
}

export function LevelTag({ level }: { level: Level }) {
  const { t } = useTranslation();
  return <Tag>{t(`policies.level.${level}`)}</Tag>;
}

/** Marks the search terms in a plain-text snippet (the server's highlight is plain text, never HTML). */
export function Highlight({ text, q }: { text: string; q?: string }) {
  const terms = (q ?? '')
    .split(/\s+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (!terms.length) return <>{text}</>;
  const parts = text.split(new RegExp(`(${terms.join('|')})`, 'g'));
  return (
    <>
      {parts.map((p, i) =>
        i % 2 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one string
          <mark key={i} style={{ padding: 0, background: '#ffe58f' }}>
            {p}
          </mark>
        ) : (
          p
        ),
      )}
    </>
  );
}

/**
 * Policy text as the server stored it: sanitised on write (policies/sanitize.ts: allow-listed tags, no scripts,
 * event handlers, styles or javascript: URLs), so it is rendered as HTML.
 */
export function ServerHtml({ html, testId }: { html: string; testId?: string }) {
  return (
    <div
      className="policy-body"
      style={{ lineHeight: 1.8, overflowX: 'auto' }}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by the server before it was stored
      dangerouslySetInnerHTML={{ __html: html }}
      data-testid={testId}
    />
  );
}

/** The server's search snippet: plain text with the hits marked (decoded from its escaped form, never set as HTML). */
export function Snippet({ html }: { html: string }) {
  return (
    <>
      {snippetParts(html).map((p, i) =>
        p.hit ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one string
          <mark key={i} style={{ padding: 0, background: '#ffe58f' }}>
            {p.text}
          </mark>
        ) : (
          p.text
        ),
      )}
    </>
  );
}

/** 数据来源要求 of a clause: nothing for "any source", else 仅官方或核实数据 / 仅现场核实数据. */
export function MinSourceTag({ minSource }: { minSource: MinSource | null | undefined }) {
  const { t } = useTranslation();
  if (!minSource) return null;
  return (
    <Tag color={minSource === 'verified_on_site' ? 'green' : 'blue'} data-testid="clause-min-source-tag">
      {t(`policies.minSource.${minSource}`)}
    </Tag>
  );
}
