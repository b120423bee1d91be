// US equity market calendar: Eastern-time conversion (US daylight-saving
// rules), NYSE holidays and early closes, and session times. Pure functions
// over epoch milliseconds and 'YYYY-MM-DD' date strings.

const DAY_MS = 86_400_000;

export function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

export function dateStr(y, m, d) {
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** A real calendar date written YYYY-MM-DD. */
export function isDateString(s) {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const { y, m, d } = parseDate(s);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export function parseDate(s) {
  const [y, m, d] = s.split('-').map(Number);
  return { y, m, d };
}

/** Days since 1970-01-01 for a date string (calendar arithmetic in UTC). */
export function dayNumber(s) {
  const { y, m, d } = parseDate(s);
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

export function fromDayNumber(n) {
  const dt = new Date(n * DAY_MS);
  return dateStr(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

export function addDays(s, n) {
  return fromDayNumber(dayNumber(s) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(s) {
  return (dayNumber(s) + 4) % 7;
}

// n-th weekday (0=Sun) of a month; n = -1 for the last one.
function nthWeekday(y, m, wd, n) {
  if (n > 0) {
    const first = weekday(dateStr(y, m, 1));
    const day = 1 + ((wd - first + 7) % 7) + (n - 1) * 7;
    return dateStr(y, m, day);
  }
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lastWd = weekday(dateStr(y, m, last));
  return dateStr(y, m, last - ((lastWd - wd + 7) % 7));
}

export function thirdFriday(y, m) {
  return nthWeekday(y, m, 5, 3);
}

// ---- Eastern time ----------------------------------------------------------

// DST in the US (since 2007): second Sunday of March 02:00 local to first
// Sunday of November 02:00 local.
function dstBoundsUtc(y) {
  const start = dayNumber(nthWeekday(y, 3, 0, 2)) * DAY_MS + 7 * 3_600_000; // 02:00 EST = 07:00Z
  const end = dayNumber(nthWeekday(y, 11, 0, 1)) * DAY_MS + 6 * 3_600_000; // 02:00 EDT = 06:00Z
  return [start, end];
}

/** Offset of US Eastern time from UTC in minutes (-240 or -300). */
export function etOffsetMinutes(ms) {
  const y = new Date(ms).getUTCFullYear();
  const [start, end] = dstBoundsUtc(y);
  return ms >= start && ms < end ? -240 : -300;
}

/** Calendar parts of an instant in US Eastern time. */
export function etParts(ms) {
  const off = etOffsetMinutes(ms);
  const local = new Date(ms + off * 60_000);
  const date = dateStr(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
  return {
    date,
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    minuteOfDay: local.getUTCHours() * 60 + local.getUTCMinutes(),
    offsetMinutes: off,
  };
}

export function etDate(ms) {
  return etParts(ms).date;
}

/** UTC epoch ms of a wall-clock time in US Eastern on the given date. */
export function etToUtc(date, hour = 0, minute = 0) {
  const base = dayNumber(date) * DAY_MS + (hour * 60 + minute) * 60_000;
  // Try the standard offset first, then verify.
  let guess = base + 300 * 60_000;
  if (etOffsetMinutes(guess) === -240) guess = base + 240 * 60_000;
  return guess;
}

/** '2022-04-14T09:30:00-04:00' */
export function formatEt(ms) {
  const p = etParts(ms);
  const off = -p.offsetMinutes;
  const sign = off >= 0 ? '-' : '+';
  return `${p.date}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

// ---- holidays --------------------------------------------------------------

function easterSunday(y) {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dateStr(y, month, day);
}

// Saturday holidays are observed on Friday, Sunday ones on Monday.
function observed(s) {
  const wd = weekday(s);
  if (wd === 6) return addDays(s, -1);
  if (wd === 0) return addDays(s, 1);
  return s;
}

const holidayCache = new Map();

/** NYSE full-day holidays of a year: Map date -> name. */
export function holidays(y) {
  if (holidayCache.has(y)) return holidayCache.get(y);
  const list = [];
  const ny = observed(dateStr(y, 1, 1));
  if (ny.startsWith(String(y))) list.push([ny, "New Year's Day"]);
  list.push([nthWeekday(y, 1, 1, 3), 'Martin Luther King, Jr. Day']);
  list.push([nthWeekday(y, 2, 1, 3), "Washington's Birthday"]);
  list.push([addDays(easterSunday(y), -2), 'Good Friday']);
  list.push([nthWeekday(y, 5, 1, -1), 'Memorial Day']);
  if (y >= 2022) list.push([observed(dateStr(y, 6, 19)), 'Juneteenth National Independence Day']);
  list.push([observed(dateStr(y, 7, 4)), 'Independence Day']);
  list.push([nthWeekday(y, 9, 1, 1), 'Labor Day']);
  list.push([nthWeekday(y, 11, 4, 4), 'Thanksgiving Day']);
  list.push([observed(dateStr(y, 12, 25)), 'Christmas Day']);
  // A Saturday Jan 1 of next year is not observed on Dec 31 by NYSE.
  const map = new Map(list);
  holidayCache.set(y, map);
  return map;
}

export function holidayName(s) {
  return holidays(parseDate(s).y).get(s) || null;
}

/** Minute of day (ET) of the close on an early-close day, else null. */
export function earlyCloseMinute(s) {
  const { y, m, d } = parseDate(s);
  const thanksgiving = nthWeekday(y, 11, 4, 4);
  if (s === addDays(thanksgiving, 1)) return 13 * 60;
  if (m === 12 && d === 24 && isTradingDay(s)) return 13 * 60;
  if (m === 7 && d === 3 && isTradingDay(s) && weekday(s) !== 5) return 13 * 60;
  return null;
}

export function isTradingDay(s) {
  const wd = weekday(s);
  if (wd === 0 || wd === 6) return false;
  return !holidayName(s);
}

export function previousTradingDay(s) {
  let d = addDays(s, -1);
  while (!isTradingDay(d)) d = addDays(d, -1);
  return d;
}

export function nextTradingDay(s) {
  let d = addDays(s, 1);
  while (!isTradingDay(d)) d = addDays(d, 1);
  return d;
}

/** The trading day on or before s. */
export function tradingDayOnOrBefore(s) {
  return isTradingDay(s) ? s : previousTradingDay(s);
}

/** Regular session of a date in minutes of the ET day, or null when closed. */
export function regularSession(s) {
  if (!isTradingDay(s)) return null;
  const close = earlyCloseMinute(s) ?? 16 * 60;
  return { openMinute: 9 * 60 + 30, closeMinute: close, minutes: close - (9 * 60 + 30) };
}

/** Session intervals (epoch ms) for an equity trading date, or null. */
export function equitySessions(s) {
  const reg = regularSession(s);
  if (!reg) return null;
  const early = reg.closeMinute !== 16 * 60;
  return {
    preMarket: { start: etToUtc(s, 7, 0), end: etToUtc(s, 9, 30) },
    regularMarket: {
      start: etToUtc(s, 9, 30),
      end: etToUtc(s, Math.floor(reg.closeMinute / 60), reg.closeMinute % 60),
    },
    postMarket: {
      start: etToUtc(s, Math.floor(reg.closeMinute / 60), reg.closeMinute % 60),
      end: early ? etToUtc(s, 17, 0) : etToUtc(s, 20, 0),
    },
  };
}

/** Trading dates in [from, to] inclusive. */
export function tradingDaysBetween(from, to) {
  const out = [];
  for (let n = dayNumber(from), end = dayNumber(to); n <= end; n++) {
    const s = fromDayNumber(n);
    if (isTradingDay(s)) out.push(s);
  }
  return out;
}

export const DAY = DAY_MS;
