import { WarningFilled } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ProjectStage } from '../../../domain/projects.ts';
import { INCLUSION_THRESHOLD_WAN } from '../../../domain/projects.ts';
import type { BatchEntry, Project, WarningLevel } from './api';
import { formatWanAsYi } from './format';

/** Colours of the warning ladder (solid tags; yellow carries dark text to stay legible). */
export const WARNING_HEX: Record<Exclude<WarningLevel, 'none'>, string> = {
  yellow: '#fadb14',
  orange: '#fa8c16',
  red: '#f5222d',
};

const STAGE_COLORS: Record<ProjectStage, string> = {
  signed: 'default',
  performed: 'cyan',
  started: 'blue',
  producing: 'geekblue',
  effective: 'green',
};

/** 黄色预警 / 橙色预警 / 红色预警; nothing (or "无预警" with `showNone`) when there is no delay. */
export function WarningTag({ level, showNone = false }: { level: WarningLevel; showNone?: boolean }) {
  const { t } = useTranslation();
  if (level === 'none') {
    return showNone ? (
      <Tag data-testid="warning-tag" data-warning="none">
        {t('projects.warning.none')}
      </Tag>
    ) : null;
  }
  return (
    <Tag
      color={WARNING_HEX[level]}
      variant="solid"
      data-testid="warning-tag"
      data-warning={level}
      style={{ marginInlineEnd: 0, color: level === 'yellow' ? 'rgba(0, 0, 0, 0.88)' : '#fff' }}
    >
      {t(`projects.warning.${level}`)}
    </Tag>
  );
}

export function StageTag({ stage }: { stage: ProjectStage }) {
  const { t } = useTranslation();
  return (
    <Tag color={STAGE_COLORS[stage]} data-testid="stage-tag" style={{ marginInlineEnd: 0 }}>
      {t(`projects.stage.${stage}`)}
    </Tag>
  );
}

/** The "below the inclusion threshold" icon (warnings contains 'below_inclusion_threshold'). */
export function ThresholdWarning({ project }: { project: Pick<Project, 'warnings' | 'industryClass'> }) {
  const { t } = useTranslation();
  if (!project.warnings.includes('below_inclusion_threshold')) return null;
  const threshold = INCLUSION_THRESHOLD_WAN[project.industryClass];
  return (
    <Tooltip
      title={t('projects.threshold.below', {
        industry: t(`projects.industry.${project.industryClass}`),
        threshold: formatWanAsYi(threshold),
      })}
    >
      <WarningFilled
        style={{ color: '#fa8c16' }}
        data-testid="below-threshold"
        aria-label={t('projects.threshold.short')}
        role="img"
      />
    </Tooltip>
  );
}

/** "第4期 开工一批" */
export function batchLabel(t: (key: string, options?: Record<string, unknown>) => string, entry: BatchEntry): string {
  return t('projects.batch.entry', { number: entry.number, kind: t(`projects.kind.${entry.kind}`) });
}

export function BatchTags({ batches }: { batches: BatchEntry[] }) {
  const { t } = useTranslation();
  if (batches.length === 0) return <span>—</span>;
  const sorted = [...batches].sort((a, b) => a.heldOn.localeCompare(b.heldOn) || kindOrder(a.kind) - kindOrder(b.kind));
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}>
      {sorted.map((b) => (
        <Tag key={`${b.kind}-${b.number}-${b.level}`} style={{ marginInlineEnd: 0 }} data-testid="batch-tag">
          {batchLabel(t, b)}
        </Tag>
      ))}
    </span>
  );
}

function kindOrder(kind: BatchEntry['kind']): number {
  return kind === 'sign' ? 0 : kind === 'start' ? 1 : 2;
}
