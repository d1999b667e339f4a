import { EditOutlined, SaveOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Flex, Input, Space, Table, type TableColumnsType, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useCan } from '../../app/guards';
import { type Milestone, type ParkDetail, parkKey, parksKey, validationMessages } from './api';
import { formatDay } from './format';
import { PlanChangesPanel } from './PlanChanges';
import { MilestoneTag } from './tags';
import { milestoneName } from './timeline';

const DAY = 'YYYY-MM-DD';

interface Draft {
  key: string;
  name: string;
  plannedOn: string | null;
  actualOn: string | null;
}

const toDay = (d: Dayjs | null) => (d ? d.format(DAY) : null);

/** 节点计划 (倒排工期): planned and actual dates per node; editable with 'parks:report'. */
export function MilestonesTab({ park }: { park: ParkDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft[] | null>(null);
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  // an approver (district/city) edits the plan; a park operator's change of plan is a request (decision 0020)
  const requests = !can('parks:manage');
  const today = dayjs().format(DAY);
  const editing = draft !== null;

  const startEdit = () => {
    setErrors([]);
    setDraft(park.milestones.map(({ key, name, plannedOn, actualOn }) => ({ key, name, plannedOn, actualOn })));
  };

  const update = (key: string, patch: Partial<Draft>) =>
    setDraft((d) => (d ? d.map((m) => (m.key === key ? { ...m, ...patch } : m)) : d));

  const changes = (draft ?? []).filter((m) => {
    const before = park.milestones.find((b) => b.key === m.key);
    return !before || before.plannedOn !== m.plannedOn || before.actualOn !== m.actualOn;
  });
  const cleared = changes.filter((m) => {
    const before = park.milestones.find((b) => b.key === m.key);
    return (before?.actualOn && !m.actualOn) || (before?.plannedOn && !m.plannedOn);
  });

  const save = async () => {
    if (!draft) return;
    setSaving(true);
    setErrors([]);
    try {
      const res = await api.put<{ ok: true; changeRequest: { id: string } | null }>(`/parks/${park.id}/milestones`, {
        milestones: draft,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      await queryClient.invalidateQueries({ queryKey: parkKey(park.id) });
      void queryClient.invalidateQueries({ queryKey: parksKey });
      setDraft(null);
      setReason('');
      void message.success(res?.changeRequest ? t('parks.planChanges.submitted') : t('common.saved'));
    } catch (e) {
      const details = validationMessages(e);
      setErrors([e instanceof Error ? e.message : t('errors.unknown'), ...details]);
    } finally {
      setSaving(false);
    }
  };

  const confirmSave = () => {
    if (!changes.length) {
      setDraft(null);
      return;
    }
    modal.confirm({
      title: t('parks.milestones.confirmTitle'),
      content: (
        <div>
          <p>{t('parks.milestones.confirmBody', { count: changes.length })}</p>
          <ul style={{ paddingInlineStart: 18 }}>
            {changes.map((m) => (
              <li key={m.key}>
                {milestoneName(t, m)}: {formatDay(m.plannedOn)} / {formatDay(m.actualOn)}
              </li>
            ))}
          </ul>
          {cleared.length ? <Alert type="warning" showIcon title={t('parks.milestones.confirmCleared')} /> : null}
        </div>
      ),
      okText: requests ? t('parks.planChanges.submit') : t('common.save'),
      cancelText: t('common.cancel'),
      onOk: () => save(),
    });
  };

  const rows: (Milestone | (Draft & { status?: undefined }))[] = draft ?? park.milestones;

  const columns: TableColumnsType<(typeof rows)[number]> = [
    {
      title: t('parks.milestones.node'),
      dataIndex: 'name',
      key: 'name',
      render: (_: unknown, m) => milestoneName(t, m),
    },
    {
      title: t('parks.milestones.planned'),
      dataIndex: 'plannedOn',
      key: 'plannedOn',
      render: (v: string | null, m) =>
        editing ? (
          <DatePicker
            value={v ? dayjs(v) : null}
            onChange={(d) => update(m.key, { plannedOn: toDay(d) })}
            format={DAY}
            aria-label={`${milestoneName(t, m)} ${t('parks.milestones.planned')}`}
            style={{ width: 140 }}
          />
        ) : (
          formatDay(v)
        ),
    },
    {
      title: t('parks.milestones.actual'),
      dataIndex: 'actualOn',
      key: 'actualOn',
      render: (v: string | null, m) =>
        editing ? (
          <DatePicker
            value={v ? dayjs(v) : null}
            onChange={(d) => update(m.key, { actualOn: toDay(d) })}
            format={DAY}
            disabledDate={(d) => d.format(DAY) > today}
            aria-label={`${milestoneName(t, m)} ${t('parks.milestones.actual')}`}
            style={{ width: 140 }}
          />
        ) : (
          formatDay(v)
        ),
    },
    {
      title: t('parks.milestones.status'),
      dataIndex: 'status',
      key: 'status',
      render: (_: unknown, m) => {
        const saved = park.milestones.find((b) => b.key === m.key);
        return saved ? <MilestoneTag status={saved.status} /> : null;
      },
    },
  ];

  return (
    <div data-testid="park-milestones">
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('parks.milestones.hint')}</Typography.Text>
        {can('parks:report') ? (
          editing ? (
            <Space wrap>
              {requests ? (
                <Input
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  maxLength={500}
                  placeholder={t('parks.planChanges.reasonPlaceholder')}
                  style={{ width: 280 }}
                  data-testid="plan-change-reason"
                />
              ) : null}
              <Button onClick={() => setDraft(null)} disabled={saving}>
                {t('common.cancel')}
              </Button>
              <Button
                type="primary"
                icon={<SaveOutlined />}
                loading={saving}
                onClick={confirmSave}
                data-testid="milestones-save"
              >
                {requests ? t('parks.planChanges.submit') : t('common.save')}
              </Button>
            </Space>
          ) : (
            <Button icon={<EditOutlined />} onClick={startEdit} data-testid="milestones-edit">
              {t('parks.milestones.edit')}
            </Button>
          )
        ) : null}
      </Flex>
      <PlanChangesPanel changes={park.planChanges} kind="milestones" />
      {errors.length ? (
        <Alert
          type="error"
          showIcon
          title={errors[0]}
          description={errors.length > 1 ? errors.slice(1).join('; ') : undefined}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Table
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
    </div>
  );
}
