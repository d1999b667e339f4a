/**
 * The park timeline comes from the server with Chinese titles ("阶段：备案", "开工（计划）", "周报 2026-10-12").
 * The page rebuilds a localized title from the event and the park's own data, and keeps the server's title when
 * it cannot (TODO server: add structured fields — stage, milestone key, report period — to timeline events).
 */
import type { TFunction } from 'i18next';
import { DEFAULT_MILESTONES } from '../../../domain/parks.ts';
import { PARK_STAGES, type ParkDetail, type ParkStage, type TimelineEvent } from './api';

/** The stage labels the server writes into stage events (src/server/modules/parks/routes.ts). */
const SERVER_STAGE_LABELS: Record<string, ParkStage> = {
  谋划: 'planned',
  备案: 'filed',
  取得土地: 'land_acquired',
  取得许可: 'permitted',
  建设中: 'under_construction',
  建成: 'completed',
  运营: 'operating',
};

/** A milestone's display name: the translated default node name, or the park's own name for a custom node. */
export function milestoneName(t: TFunction, m: { key: string; name: string }): string {
  const def = DEFAULT_MILESTONES.find((d) => d.key === m.key);
  return def && def.name === m.name ? t(`parks.milestones.names.${m.key}`) : m.name;
}

export function timelineTitle(t: TFunction, e: TimelineEvent, park: ParkDetail): string {
  switch (e.kind) {
    case 'stage': {
      const label = e.title.replace(/^阶段[：:]\s*/, '');
      const stage = SERVER_STAGE_LABELS[label] ?? (PARK_STAGES as readonly string[]).find((s) => s === label);
      return stage ? t('parks.timeline.stage', { stage: t(`parks.stage.${stage}`) }) : e.title;
    }
    case 'milestone': {
      const done = /（完成）$/.test(e.title);
      const name = e.title.replace(/（(完成|计划)）$/, '');
      const m = park.milestones.find((x) => x.name === name && (x.actualOn ?? x.plannedOn) === e.date);
      const display = m ? milestoneName(t, m) : name;
      return t(done ? 'parks.timeline.milestoneDone' : 'parks.timeline.milestonePlanned', { name: display });
    }
    case 'report': {
      const match = /(\d{4}-\d{2}-\d{2})/.exec(e.title);
      const period = e.title.startsWith('月报') ? 'month' : 'week';
      return t(`parks.timeline.report_${period}`, { start: match?.[1] ?? '' });
    }
    case 'recognition':
      return t('parks.timeline.recognition', {
        level: park.recognitionLevel ? t(`parks.recognition.${park.recognitionLevel}`) : '',
        batch: park.recognitionBatch ?? '',
      }).trim();
    case 'rating':
      return t('parks.timeline.rating', { stars: park.starLevel ?? 0, year: park.starYear ?? '' });
    default:
      return e.title;
  }
}
