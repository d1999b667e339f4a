/**
 * 万人助万企 problem deadlines (pure).
 *
 * Default profile: 焦作 「13710」 (rules.md §6.2, http://222.143.135.24:8888/News_show.asp?id=3927&type=68):
 * 1 day to study and assign (转办) after receipt, 3 days to report handling progress, 7 days to solve an ordinary
 * problem, 1 month (30 days, rules.md §6.3) to solve a complex one. All deadlines count from the date of receipt
 * (decision 0014). `mode: 'working'` counts working days with the national holiday calendar below (Henan has no
 * provincial public holidays of its own), as 泉州 and 许昌 do (rules.md §6.2).
 *
 * Dates are calendar dates in China Standard Time, written `YYYY-MM-DD`.
 */

export type DeadlineMode = 'calendar' | 'working';

export interface DeadlineProfile {
  assignWithinDays: number;
  firstFeedbackDays: number;
  ordinaryDays: number;
  complexDays: number;
  mode: DeadlineMode;
}

/** 焦作 13710 (rules.md §6.3). */
export const PROFILE_13710: DeadlineProfile = {
  assignWithinDays: 1,
  firstFeedbackDays: 3,
  ordinaryDays: 7,
  complexDays: 30,
  mode: 'calendar',
};

export type Complexity = 'ordinary' | 'complex';

/**
 * Public holidays (days off) and adjusted working days (调休上班, weekends that are working days), 2021–2026,
 * from the General Office of the State Council's yearly notices 「国务院办公厅关于20XX年部分节假日安排的通知」
 * (2020-11-25 for 2021, 2021-10-25 for 2022, 2022-12-08 for 2023, 2023-10-25 for 2024, 2024-11-12 for 2025,
 * 2025-11-04 for 2026). Henan applies them unchanged.
 */
export const CN_HOLIDAYS: Record<number, { off: string[]; work: string[] }> = {
  2021: {
    off: [
      ...range('2021-01-01', '2021-01-03'),
      ...range('2021-02-11', '2021-02-17'),
      ...range('2021-04-03', '2021-04-05'),
      ...range('2021-05-01', '2021-05-05'),
      ...range('2021-06-12', '2021-06-14'),
      ...range('2021-09-19', '2021-09-21'),
      ...range('2021-10-01', '2021-10-07'),
    ],
    work: ['2021-02-07', '2021-02-20', '2021-04-25', '2021-05-08', '2021-09-18', '2021-09-26', '2021-10-09'],
  },
  2022: {
    off: [
      ...range('2022-01-01', '2022-01-03'),
      ...range('2022-01-31', '2022-02-06'),
      ...range('2022-04-03', '2022-04-05'),
      ...range('2022-04-30', '2022-05-04'),
      ...range('2022-06-03', '2022-06-05'),
      ...range('2022-09-10', '2022-09-12'),
      ...range('2022-10-01', '2022-10-07'),
      '2022-12-31',
    ],
    work: ['2022-01-29', '2022-01-30', '2022-04-02', '2022-04-24', '2022-05-07', '2022-10-08', '2022-10-09'],
  },
  2023: {
    off: [
      ...range('2023-01-01', '2023-01-02'),
      ...range('2023-01-21', '2023-01-27'),
      '2023-04-05',
      ...range('2023-04-29', '2023-05-03'),
      ...range('2023-06-22', '2023-06-24'),
      ...range('2023-09-29', '2023-10-06'),
      '2023-12-30',
      '2023-12-31',
    ],
    work: ['2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08'],
  },
  2024: {
    off: [
      '2024-01-01',
      ...range('2024-02-10', '2024-02-17'),
      ...range('2024-04-04', '2024-04-06'),
      ...range('2024-05-01', '2024-05-05'),
      '2024-06-10',
      ...range('2024-09-15', '2024-09-17'),
      ...range('2024-10-01', '2024-10-07'),
    ],
    work: [
      '2024-02-04',
      '2024-02-18',
      '2024-04-07',
      '2024-04-28',
      '2024-05-11',
      '2024-09-14',
      '2024-09-29',
      '2024-10-12',
    ],
  },
  2025: {
    off: [
      '2025-01-01',
      ...range('2025-01-28', '2025-02-04'),
      ...range('2025-04-04', '2025-04-06'),
      ...range('2025-05-01', '2025-05-05'),
      ...range('2025-05-31', '2025-06-02'),
      ...range('2025-10-01', '2025-10-08'),
    ],
    work: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    off: [
      ...range('2026-01-01', '2026-01-03'),
      ...range('2026-02-15', '2026-02-23'),
      ...range('2026-04-04', '2026-04-06'),
      ...range('2026-05-01', '2026-05-05'),
      ...range('2026-06-19', '2026-06-21'),
      ...range('2026-09-25', '2026-09-27'),
      ...range('2026-10-01', '2026-10-07'),
    ],
    work: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) out.push(d);
  return out;
}

export function addCalendarDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export interface HolidayCalendar {
  off: ReadonlySet<string>;
  work: ReadonlySet<string>;
}

export function holidayCalendar(
  data: Record<number, { off: string[]; work: string[] }> = CN_HOLIDAYS,
): HolidayCalendar {
  const off = new Set<string>();
  const work = new Set<string>();
  for (const y of Object.values(data)) {
    for (const d of y.off) off.add(d);
    for (const d of y.work) work.add(d);
  }
  return { off, work };
}

export const DEFAULT_CALENDAR = holidayCalendar();

export function isWorkingDay(day: string, cal: HolidayCalendar = DEFAULT_CALENDAR): boolean {
  if (cal.work.has(day)) return true;
  if (cal.off.has(day)) return false;
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** The date `n` days after `day` (calendar days, or working days skipping weekends and holidays). */
export function addDays(day: string, n: number, mode: DeadlineMode, cal: HolidayCalendar = DEFAULT_CALENDAR): string {
  if (mode === 'calendar') return addCalendarDays(day, n);
  let d = day;
  let left = n;
  while (left > 0) {
    d = addCalendarDays(d, 1);
    if (isWorkingDay(d, cal)) left--;
  }
  return d;
}

/** Days from `from` (exclusive) to `to` (inclusive) counted in the mode (0 when `to` ≤ `from`). */
export function daysBetween(
  from: string,
  to: string,
  mode: DeadlineMode,
  cal: HolidayCalendar = DEFAULT_CALENDAR,
): number {
  if (to <= from) return 0;
  if (mode === 'calendar') return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  let n = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) if (isWorkingDay(d, cal)) n++;
  return n;
}

export interface Deadlines {
  /** 交办 by (end of this day). */
  assignBy: string;
  /** First progress report (反馈) by. */
  firstFeedbackBy: string;
  /** Solved by. */
  resolveBy: string;
}

/** 13710: every deadline counts from the date of receipt (decision 0014). */
export function deadlinesFor(
  receivedOn: string,
  complexity: Complexity,
  profile: DeadlineProfile = PROFILE_13710,
  cal: HolidayCalendar = DEFAULT_CALENDAR,
): Deadlines {
  return {
    assignBy: addDays(receivedOn, profile.assignWithinDays, profile.mode, cal),
    firstFeedbackBy: addDays(receivedOn, profile.firstFeedbackDays, profile.mode, cal),
    resolveBy: addDays(
      receivedOn,
      complexity === 'complex' ? profile.complexDays : profile.ordinaryDays,
      profile.mode,
      cal,
    ),
  };
}

/**
 * Stop-the-clock: a problem stopped on `stoppedOn` and resumed on `resumedOn` gets its deadline moved by the
 * days the clock stood still (counted in the profile's mode; a stop and resume on the same day moves nothing).
 */
export function shiftForPause(
  dueOn: string,
  stoppedOn: string,
  resumedOn: string,
  mode: DeadlineMode,
  cal: HolidayCalendar = DEFAULT_CALENDAR,
): string {
  return addDays(dueOn, daysBetween(stoppedOn, resumedOn, mode, cal), mode, cal);
}

/**
 * An extension must be requested at least `leadDays` working days before the deadline (泉州: 1 working day,
 * rules.md §6.2): true while `today` is on or before that last day.
 */
export function extensionStillAllowed(
  today: string,
  dueOn: string,
  leadDays: number,
  cal: HolidayCalendar = DEFAULT_CALENDAR,
): boolean {
  return today <= extensionLastDay(dueOn, leadDays, cal);
}

/** The last day an extension may be requested: `leadDays` working days before the deadline. */
export function extensionLastDay(dueOn: string, leadDays: number, cal: HolidayCalendar = DEFAULT_CALENDAR): string {
  let last = dueOn;
  let left = leadDays;
  while (left > 0) {
    last = addCalendarDays(last, -1);
    if (isWorkingDay(last, cal)) left--;
  }
  return last;
}
