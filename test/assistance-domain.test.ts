/** Pure 万人助万企 rules: 13710 deadlines, holiday calendar, state machine, KPIs and rankings (rules.md §6). */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  deadlinesFor,
  extensionStillAllowed,
  isWorkingDay,
  PROFILE_13710,
  shiftForPause,
} from '../src/domain/assistance/deadlines.ts';
import { onTimeRate, percent1, rankUnits, resolutionRate, satisfactionRate } from '../src/domain/assistance/kpis.ts';
import {
  type ActorRelation,
  allowedActions,
  checkTransition,
  PROBLEM_ACTIONS,
  PROBLEM_STATES,
  RULES,
} from '../src/domain/assistance/workflow.ts';

describe('13710 deadlines (焦作, rules.md §6.2)', () => {
  it('calendar days from the date of receipt: 1 / 3 / 7, complex 30', () => {
    expect(deadlinesFor('2023-05-15', 'ordinary', PROFILE_13710)).toEqual({
      assignBy: '2023-05-16',
      firstFeedbackBy: '2023-05-18',
      resolveBy: '2023-05-22',
    });
    expect(deadlinesFor('2023-05-15', 'complex', PROFILE_13710).resolveBy).toBe('2023-06-14');
    // across a month and year end
    expect(deadlinesFor('2021-12-28', 'ordinary').resolveBy).toBe('2022-01-04');
  });

  it('working days skip weekends and the 劳动节 holiday, and count the adjusted Saturday 2023-05-06', () => {
    const working = { ...PROFILE_13710, mode: 'working' as const };
    // received Thursday 2023-04-27; 04-29..05-03 off; Saturday 05-06 is a working day
    expect(deadlinesFor('2023-04-27', 'ordinary', working)).toEqual({
      assignBy: '2023-04-28',
      firstFeedbackBy: '2023-05-05',
      resolveBy: '2023-05-10',
    });
    expect(isWorkingDay('2023-04-23')).toBe(true); // Sunday, adjusted working day
    expect(isWorkingDay('2023-05-01')).toBe(false);
    expect(isWorkingDay('2023-05-08')).toBe(true);
    expect(isWorkingDay('2026-02-16')).toBe(false); // 春节 2026
    expect(isWorkingDay('2026-02-14')).toBe(true); // Saturday, adjusted
    // Spring Festival 2022: received Friday 2022-01-28; 01-29/30 are working days, 01-31..02-06 off
    expect(addDays('2022-01-28', 3, 'working')).toBe('2022-02-07');
  });

  it('stop-the-clock moves the due date by the days the clock stood still', () => {
    expect(shiftForPause('2023-05-22', '2023-05-16', '2023-05-19', 'calendar')).toBe('2023-05-25');
    expect(shiftForPause('2023-05-22', '2023-05-16', '2023-05-16', 'calendar')).toBe('2023-05-22');
    // working mode: Fri 05-19 → Mon 05-22 is one working day; due Mon 05-22 → Tue 05-23
    expect(shiftForPause('2023-05-22', '2023-05-19', '2023-05-22', 'working')).toBe('2023-05-23');
  });

  it('an extension is due at least one working day before the deadline', () => {
    expect(extensionStillAllowed('2023-05-19', '2023-05-22', 1)).toBe(true);
    expect(extensionStillAllowed('2023-05-20', '2023-05-22', 1)).toBe(false);
    expect(extensionStillAllowed('2023-05-22', '2023-05-22', 1)).toBe(false);
  });
});

describe('KPIs (rules.md §6.4)', () => {
  it('解决率 = solved / collected: 周口 1,669 / 1,693 = 98.58%', () => {
    expect(resolutionRate(1669, 1693)).toBe(0.9858);
    expect(percent1(resolutionRate(1669, 1693))).toBe('98.5%');
    // 郑州 (seed 003): 11,423 / 11,449 published as 99.7% (truncated, not rounded to 99.8%)
    expect(resolutionRate(11423, 11449)).toBe(0.9977);
    expect(percent1(resolutionRate(11423, 11449))).toBe('99.7%');
    expect(resolutionRate(288, 298)).toBe(0.9664); // 长垣 96.6%
    expect(resolutionRate(0, 0)).toBeNull();
    expect(resolutionRate(29, 100)).toBe(0.29);
  });

  it('满意率 with and without 基本满意', () => {
    const c = { satisfied: 8, basicallySatisfied: 2, unsatisfied: 1 };
    expect(satisfactionRate(c, true)).toBe(0.909);
    expect(satisfactionRate(c, false)).toBe(0.7272);
    expect(satisfactionRate({ satisfied: 0, basicallySatisfied: 0, unsatisfied: 0 }, true)).toBeNull();
  });

  it('按期办结率 counts open overdue problems against the unit', () => {
    expect(onTimeRate(90, 95, 5)).toBe(0.9);
    expect(onTimeRate(0, 0, 0)).toBeNull();
  });

  it('rankings leave units under the minimum sample unranked and share ranks on ties', () => {
    const r = rankUnits(
      [
        { key: 'a', n: 3, resolutionRate: 1, onTimeRate: 1, satisfactionRate: 1 },
        { key: 'b', n: 50, resolutionRate: 0.9, onTimeRate: 0.8, satisfactionRate: 0.9 },
        { key: 'c', n: 40, resolutionRate: 0.95, onTimeRate: 0.9, satisfactionRate: 0.9 },
        { key: 'd', n: 20, resolutionRate: 0.9, onTimeRate: 0.7, satisfactionRate: 0.8 },
      ],
      'resolutionRate',
      20,
    );
    expect(r.map((x) => [x.key, x.rank, x.belowMinSample])).toEqual([
      ['c', 1, false],
      ['b', 2, false],
      ['d', 2, false],
      ['a', null, true],
    ]);
  });
});

describe('problem state machine (rules.md §6.3)', () => {
  const office: ActorRelation = {
    isFirm: false,
    isHandler: true,
    canManage: true,
    canSupervise: true,
    isSubmitter: false,
  };
  const firm: ActorRelation = {
    isFirm: true,
    isHandler: false,
    canManage: false,
    canSupervise: false,
    isSubmitter: true,
  };

  it('every action outside its states is refused for the state, whoever asks (all states × actions)', () => {
    let refused = 0;
    for (const status of PROBLEM_STATES) {
      for (const action of PROBLEM_ACTIONS) {
        for (const flags of [
          { stopped: false, extensionRequested: false },
          { stopped: true, extensionRequested: true },
        ]) {
          const r = checkTransition({ status, ...flags }, action, { ...office, isFirm: true, isSubmitter: true });
          if (!RULES[action].from.includes(status)) {
            expect(r).toEqual({ ok: false, reason: 'state' });
            refused++;
          } else {
            expect(r.ok || (r.ok === false && r.reason === 'condition')).toBe(true);
          }
        }
      }
    }
    expect(refused).toBeGreaterThan(100);
  });

  it('the happy path and who may do what', () => {
    const p = { stopped: false, extensionRequested: false };
    expect(checkTransition({ status: 'collected', ...p }, 'assign', office)).toEqual({ ok: true, to: 'assigned' });
    expect(checkTransition({ status: 'collected', ...p }, 'assign', firm)).toEqual({ ok: false, reason: 'actor' });
    expect(checkTransition({ status: 'assigned', ...p }, 'accept', office)).toEqual({ ok: true, to: 'in_progress' });
    expect(checkTransition({ status: 'in_progress', ...p }, 'resolve', office)).toEqual({ ok: true, to: 'resolved' });
    expect(checkTransition({ status: 'resolved', ...p }, 'rate', firm)).toEqual({ ok: true, to: 'rated' });
    expect(checkTransition({ status: 'resolved', ...p }, 'rate', office)).toEqual({ ok: false, reason: 'actor' });
    expect(checkTransition({ status: 'rated', ...p }, 'close', office)).toEqual({ ok: true, to: 'closed' });
    // a stopped clock must be resumed before resolving; an extension cannot be requested twice
    expect(
      checkTransition({ status: 'in_progress', stopped: true, extensionRequested: false }, 'resolve', office),
    ).toEqual({ ok: false, reason: 'condition' });
    expect(allowedActions({ status: 'resolved', ...p }, firm)).toEqual(['rate']);
    expect(allowedActions({ status: 'in_progress', ...p }, firm)).toEqual(['withdraw']);
    expect(allowedActions({ status: 'closed', ...p }, office)).toEqual([]);
  });
});
