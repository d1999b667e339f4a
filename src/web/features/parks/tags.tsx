import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MilestoneStatus, ParkStage, RecognitionLevel, ReportState } from './api';

/** One colour per stage, shared by tags, the map points and its legend (none of them red: red means overdue). */
export const STAGE_COLORS: Record<ParkStage, string> = {
  planned: '#8c8c8c',
  filed: '#08979c',
  land_acquired: '#b8860b',
  permitted: '#d46b08',
  under_construction: '#1677ff',
  completed: '#722ed1',
  operating: '#1f7a4d',
};

export const OVERDUE_COLOR = '#f5222d';

export const MILESTONE_COLORS: Record<MilestoneStatus, string> = {
  green: '#52c41a',
  yellow: '#d4b106',
  red: '#f5222d',
  at_risk: '#fa8c16',
  pending: '#bfbfbf',
};

export const REPORT_COLORS: Record<ReportState, string> = {
  submitted: 'success',
  late: 'warning',
  missing: 'error',
  open: 'default',
};

export function StageTag({ stage }: { stage: ParkStage }) {
  const { t } = useTranslation();
  return (
    <Tag color={STAGE_COLORS[stage]} data-testid="stage-tag">
      {t(`parks.stage.${stage}`)}
    </Tag>
  );
}

export function OverdueTag() {
  const { t } = useTranslation();
  return (
    <Tag color="red" data-testid="overdue-tag">
      {t('parks.overdueTag')}
    </Tag>
  );
}

/** Tag colours (antd presets, readable text) of the same statuses. */
const MILESTONE_TAGS: Record<MilestoneStatus, string> = {
  green: 'success',
  yellow: 'gold',
  red: 'error',
  at_risk: 'orange',
  pending: 'default',
};

export function MilestoneTag({ status }: { status: MilestoneStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={MILESTONE_TAGS[status]} data-testid="milestone-status">
      {t(`parks.milestoneStatus.${status}`)}
    </Tag>
  );
}

export function ReportStateTag({ state }: { state: ReportState }) {
  const { t } = useTranslation();
  return (
    <Tag color={REPORT_COLORS[state]} data-testid="report-state">
      {t(`parks.reportState.${state}`)}
    </Tag>
  );
}

export function RecognitionTag({ level }: { level: RecognitionLevel | null }) {
  const { t } = useTranslation();
  if (!level) return null;
  const color = level === 'provincial' ? 'magenta' : level === 'municipal' ? 'geekblue' : 'cyan';
  return <Tag color={color}>{t(`parks.recognition.${level}`)}</Tag>;
}

export function Stars({ level }: { level: number | null }) {
  const { t } = useTranslation();
  if (!level) return null;
  return (
    <span title={t('parks.starsTitle', { count: level })} style={{ color: '#faad14', whiteSpace: 'nowrap' }}>
      {'★'.repeat(level)}
    </span>
  );
}
