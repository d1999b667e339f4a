import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  FileTextOutlined,
  FlagOutlined,
  StarOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import { Empty, Flex, Segmented, Timeline, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MilestoneStatus, ParkDetail, ReportState, TimelineEvent } from './api';
import { formatDay } from './format';
import { MILESTONE_COLORS, MilestoneTag, ReportStateTag } from './tags';
import { timelineTitle } from './timeline';

const KINDS = ['all', 'stage', 'milestone', 'report', 'recognition'] as const;
type Kind = (typeof KINDS)[number];

const REPORT_DOT: Record<ReportState, string> = {
  submitted: '#52c41a',
  late: '#d4b106',
  missing: '#f5222d',
  open: '#bfbfbf',
};

function colorOf(e: TimelineEvent): string {
  if (e.kind === 'milestone' && e.status) return MILESTONE_COLORS[e.status as MilestoneStatus] ?? 'gray';
  if (e.kind === 'report' && e.status) return REPORT_DOT[e.status as ReportState] ?? 'gray';
  if (e.kind === 'stage') return '#1f7a4d';
  if (e.kind === 'recognition') return '#c41d7f';
  if (e.kind === 'rating') return '#faad14';
  return 'gray';
}

function iconOf(e: TimelineEvent): ReactNode {
  switch (e.kind) {
    case 'stage':
      return <FlagOutlined />;
    case 'milestone':
      return e.status === 'green' || e.status === 'yellow' ? <CheckCircleOutlined /> : <ClockCircleOutlined />;
    case 'report':
      return <FileTextOutlined />;
    case 'recognition':
      return <TrophyOutlined />;
    case 'rating':
      return <StarOutlined />;
    default:
      return null;
  }
}

/** One timeline of the park's life: stages, milestone nodes, reports, recognition and ratings. */
export function TimelineTab({ park }: { park: ParkDetail }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>('all');
  const events = park.timeline.filter(
    (e) => kind === 'all' || e.kind === kind || (kind === 'recognition' && e.kind === 'rating'),
  );

  return (
    <div data-testid="park-timeline">
      <Flex justify="space-between" wrap gap={8} style={{ marginBottom: 16 }}>
        <Segmented<Kind>
          value={kind}
          onChange={setKind}
          options={KINDS.map((k) => ({ value: k, label: t(`parks.timeline.kinds.${k}`) }))}
          style={{ maxWidth: '100%', overflowX: 'auto' }}
        />
        <Flex wrap gap={4} align="center">
          {(['green', 'yellow', 'red', 'at_risk', 'pending'] as const).map((s) => (
            <MilestoneTag key={s} status={s} />
          ))}
        </Flex>
      </Flex>
      {events.length ? (
        <Timeline
          mode="start"
          titleSpan="110px"
          items={events.map((e, i) => ({
            key: `${e.date}-${e.kind}-${i}`,
            color: colorOf(e),
            title: (
              <Typography.Text type="secondary" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {formatDay(e.date)}
              </Typography.Text>
            ),
            content: (
              <Flex wrap gap={6} align="center" data-testid="timeline-item">
                <span style={{ color: colorOf(e) }}>{iconOf(e)}</span>
                <span>{timelineTitle(t, e, park)}</span>
                {e.kind === 'milestone' && e.status ? <MilestoneTag status={e.status as MilestoneStatus} /> : null}
                {e.kind === 'report' && e.status ? <ReportStateTag state={e.status as ReportState} /> : null}
              </Flex>
            ),
          }))}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('parks.timeline.empty')} />
      )}
    </div>
  );
}
