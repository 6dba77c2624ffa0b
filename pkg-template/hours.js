// Business hours: whether an inbox is open at a moment, and when it opens next, read
// in the inbox's own timezone (the platform's Intl knows the time zones; the wasm does
// not need to ship them).

const MINUTES_PER_DAY = 24 * 60;
const WEEKDAYS = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formats = new Map();

/** The inbox's timezone if the platform knows it, else UTC. */
function zone(inbox) {
  const tz = inbox?.timezone;
  if (typeof tz === "string" && tz) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return tz;
    } catch {
      // An unknown zone: UTC, as the server falls back to.
    }
  }
  return "UTC";
}

/** Wall-clock parts of `ms` in `tz`: { year, month, day, weekday, minute (of the day) }. */
function wall(ms, tz) {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz, hourCycle: "h23", weekday: "short",
      year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric",
    });
    formats.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return {
    year: +p.year, month: +p.month, day: +p.day, weekday: WEEKDAYS[p.weekday] ?? 0,
    minute: (+p.hour % 24) * 60 + +p.minute,
  };
}

/** The epoch ms of wall time `minute` on the date of `parts` in `tz` (DST-aware). */
function at(parts, minute, tz) {
  const target = Date.UTC(parts.year, parts.month - 1, parts.day, 0, minute);
  let guess = target;
  for (let i = 0; i < 3; i++) {
    const w = wall(guess, tz);
    const seen = Date.UTC(w.year, w.month - 1, w.day, 0, w.minute);
    if (seen === target) break;
    guess += target - seen;
  }
  return guess;
}

/** The day's open interval in minutes [from, to), or null when closed all day. */
function interval(inbox, weekday) {
  const day = (inbox.workingHours ?? []).find((d) => d.dayOfWeek === weekday);
  if (!day || day.closedAllDay) return null;
  if (day.openAllDay) return [0, MINUTES_PER_DAY];
  const from = (day.openHour ?? 0) * 60 + (day.openMinutes ?? 0);
  const to = (day.closeHour ?? 0) * 60 + (day.closeMinutes ?? 0);
  // A close at or before the opening (such as 00:00) runs to the end of the day.
  return [from, to > from ? to : MINUTES_PER_DAY];
}

function toMs(date) {
  const ms = date === undefined ? Date.now() : date instanceof Date ? date.getTime() : Number(date);
  if (!Number.isFinite(ms)) throw new TypeError("expected a Date or epoch milliseconds");
  return ms;
}

/**
 * Whether the inbox is within its working hours at `date` (default now), in the inbox's
 * timezone. An inbox without working hours enabled is always open.
 */
export function isOpenAt(inbox, date) {
  const ms = toMs(date);
  if (!inbox?.workingHoursEnabled) return true;
  const w = wall(ms, zone(inbox));
  const open = interval(inbox, w.weekday);
  return open !== null && w.minute >= open[0] && w.minute < open[1];
}

/**
 * When the inbox next opens, as epoch ms: `from` itself (default now) when it is open,
 * `null` when no day of the week is open.
 */
export function nextOpening(inbox, from) {
  const ms = toMs(from);
  if (isOpenAt(inbox, ms)) return ms;
  const tz = zone(inbox);
  const today = wall(ms, tz);
  for (let ahead = 0; ahead <= 7; ahead++) {
    // Noon of the day `ahead` days on: safely inside that date whatever the DST shifts.
    const noon = at(today, 12 * 60, tz) + ahead * MINUTES_PER_DAY * 60_000;
    const day = wall(noon, tz);
    const open = interval(inbox, day.weekday);
    if (!open) continue;
    const opensAt = at(day, open[0], tz);
    if (opensAt > ms) return opensAt;
  }
  return null;
}
