/** A KPI tile with its provenance (as-of, source, how) on hover or tap, the list behind it, and target progress. */
import { InfoCircleOutlined } from '@ant-design/icons';
import { Card, Descriptions, Flex, Popover, Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Tile } from './api';
import { num, sourceModule, tileFigure, tileText } from './format';

export function Provenance({ tile }: { tile: Tile }) {
  const { t, i18n } = useTranslation();
  return (
    <Descriptions
      size="small"
      column={1}
      style={{ maxWidth: 360 }}
      items={[
        { key: 'asOf', label: t('cockpit.provenance.asOf'), children: tile.asOf },
        {
          key: 'source',
          label: t('cockpit.provenance.source'),
          children: t(`cockpit.source.${sourceModule(tile.source)}`, { defaultValue: tile.source }),
        },
        { key: 'how', label: t('cockpit.provenance.how'), children: i18n.language === 'en' ? tile.howEn : tile.how },
        ...(tile.target != null
          ? [
              {
                key: 'target',
                label: t('cockpit.provenance.target'),
                children: `${tileText({ ...tile, value: tile.target })} · ${t('cockpit.target.completion')} ${num(tile.completionRate, 1)}% · ${t('cockpit.target.timeProgress')} ${num(tile.timeProgress, 1)}%`,
              },
            ]
          : []),
      ]}
    />
  );
}

/** Completion as a bar, the time progress (时序进度) as a marker on it; orange when behind. */
export function ProgressVsTime({
  rate,
  time,
  dark = false,
}: {
  rate: number | null;
  time: number | null;
  dark?: boolean;
}) {
  const behind = rate !== null && time !== null && rate < time;
  return (
    <Flex align="center" gap={6}>
      <div style={{ position: 'relative', flex: 1, minWidth: 60 }}>
        <Progress
          percent={Math.min(100, rate ?? 0)}
          showInfo={false}
          strokeColor={behind ? '#fa8c16' : '#52c41a'}
          size="small"
        />
        {time !== null ? (
          <span
            aria-hidden
            style={{
              position: 'absolute',
              top: 2,
              bottom: 2,
              left: `calc(${Math.min(100, Math.max(0, time))}% - 1px)`,
              width: 2,
              background: dark ? '#e6f4ff' : '#1f1f1f',
            }}
          />
        ) : null}
      </div>
      <span
        style={{
          fontSize: 12,
          minWidth: 44,
          textAlign: 'right',
          color: behind ? '#d46b08' : dark ? '#b7eb8f' : '#389e0d',
        }}
      >
        {num(rate, 1)}%
      </span>
    </Flex>
  );
}

export function TargetBar({ tile, dark = false }: { tile: Tile; dark?: boolean }) {
  const { t } = useTranslation();
  if (tile.target == null) return null;
  const behind = (tile.gapPp ?? 0) < 0;
  return (
    <div data-testid={`target-${tile.key}`}>
      <ProgressVsTime rate={tile.completionRate ?? null} time={tile.timeProgress ?? null} dark={dark} />
      <Typography.Text
        style={{ fontSize: 12, color: dark ? '#a6c8ff' : undefined }}
        type={dark ? undefined : 'secondary'}
      >
        {t('cockpit.target.label', { value: tileText({ ...tile, value: tile.target }) })} ·{' '}
        {t('cockpit.target.timeProgress')} {num(tile.timeProgress, 1)}% ·{' '}
        {t('cockpit.target.gap', {
          gap: `${behind ? t('cockpit.target.behind') : t('cockpit.target.ahead')} ${num(Math.abs(tile.gapPp ?? 0), 1)}`,
        })}
      </Typography.Text>
    </div>
  );
}

export function KpiTile({
  tile,
  dark = false,
  size = 'default',
}: {
  tile: Tile;
  dark?: boolean;
  size?: 'default' | 'large';
}) {
  const { t } = useTranslation();
  const f = tileFigure(tile);
  const valueSize = size === 'large' ? 34 : 22;
  return (
    <Card
      size="small"
      data-testid={`tile-${tile.key}`}
      styles={{ body: { padding: size === 'large' ? '10px 14px' : 12 } }}
      style={dark ? { background: 'rgba(16, 42, 78, 0.85)', borderColor: '#1d4f91' } : { height: '100%' }}
    >
      <Flex justify="space-between" align="flex-start" gap={4}>
        <Link
          to={tile.href}
          style={{ color: dark ? '#a6c8ff' : undefined, fontSize: size === 'large' ? 15 : 13, minWidth: 0 }}
        >
          {t(`cockpit.tile.${tile.key}`, { defaultValue: tile.key })}
        </Link>
        <Popover content={<Provenance tile={tile} />} trigger={['hover', 'click']} placement="bottom">
          <InfoCircleOutlined
            role="button"
            aria-label={t('cockpit.provenance.how')}
            data-testid={`prov-${tile.key}`}
            style={{ color: dark ? '#69b1ff' : '#8c8c8c', cursor: 'pointer' }}
          />
        </Popover>
      </Flex>
      <div style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
        <span
          data-testid={`value-${tile.key}`}
          style={{ fontSize: valueSize, fontWeight: 600, color: dark ? '#ffffff' : undefined }}
        >
          {f.value}
        </span>
        {f.unit ? (
          <span style={{ marginLeft: 4, fontSize: 13, color: dark ? '#a6c8ff' : '#8c8c8c' }}>{f.unit}</span>
        ) : null}
      </div>
      {tile.target != null && size !== 'large' ? <TargetBar tile={tile} /> : null}
    </Card>
  );
}
