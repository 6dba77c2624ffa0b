// Business hours through the built package: isOpenAt and nextOpening read the inbox's
// week in its own timezone, across a DST change and a half-hour offset.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isOpenAt, nextOpening } from "../../pkg/node.js";

const day = (dayOfWeek, open, close) => ({
  dayOfWeek, closedAllDay: open === null, openAllDay: open === "all",
  openHour: typeof open === "number" ? Math.floor(open) : null, openMinutes: typeof open === "number" ? Math.round((open % 1) * 60) : null,
  closeHour: typeof close === "number" ? Math.floor(close) : null, closeMinutes: typeof close === "number" ? Math.round((close % 1) * 60) : null,
});
/** Mon–Fri 9:00–17:00, weekends closed (the devserver's and Chatwoot's default). */
const week = [day(0, null), day(1, 9, 17), day(2, 9, 17), day(3, 9, 17), day(4, 9, 17), day(5, 9, 17), day(6, null)];
const inbox = (timezone, workingHours = week, workingHoursEnabled = true) => ({
  identifier: "x", name: "x", timezone, identityValidationEnabled: false, workingHoursEnabled, workingHours,
  csatSurveyEnabled: false, greetingEnabled: false,
});
const at = (iso) => Date.parse(iso);

test("open and closed by the inbox's own clock", () => {
  const utc = inbox("UTC");
  assert.equal(isOpenAt(utc, at("2026-12-01T09:00:00Z")), true, "Tuesday 9:00 opens");
  assert.equal(isOpenAt(utc, at("2026-12-01T16:59:00Z")), true);
  assert.equal(isOpenAt(utc, at("2026-12-01T17:00:00Z")), false, "17:00 is closed");
  assert.equal(isOpenAt(utc, at("2026-12-05T12:00:00Z")), false, "Saturday");
  const ny = inbox("America/New_York");
  assert.equal(isOpenAt(ny, at("2026-12-01T14:00:00Z")), true, "9:00 in New York (UTC-5)");
  assert.equal(isOpenAt(ny, at("2026-12-01T13:59:00Z")), false);
  const kolkata = inbox("Asia/Kolkata", [day(2, 9.5, 18)]);
  assert.equal(isOpenAt(kolkata, new Date("2026-12-01T04:00:00Z")), true, "9:30 in Kolkata (UTC+5:30)");
  assert.equal(isOpenAt(kolkata, new Date("2026-12-01T03:59:00Z")), false);
});

test("the next opening: tomorrow, after the weekend, across DST, or never", () => {
  const utc = inbox("UTC");
  assert.equal(nextOpening(utc, at("2026-12-01T18:00:00Z")), at("2026-12-02T09:00:00Z"), "tomorrow at 9");
  assert.equal(nextOpening(utc, at("2026-12-01T07:00:00Z")), at("2026-12-01T09:00:00Z"), "today at 9");
  assert.equal(nextOpening(utc, at("2026-12-04T17:30:00Z")), at("2026-12-07T09:00:00Z"), "Friday evening: Monday");
  const open = at("2026-12-01T10:00:00Z");
  assert.equal(nextOpening(utc, open), open, "open now: now");
  // New York leaves DST on Sunday 2026-11-01: Monday 9:00 is 14:00Z, Friday's 13:00Z.
  const ny = inbox("America/New_York");
  assert.equal(nextOpening(ny, at("2026-10-30T22:00:00Z")), at("2026-11-02T14:00:00Z"));
  assert.equal(nextOpening(inbox("UTC", [day(3, "all")]), at("2026-12-01T12:00:00Z")), at("2026-12-02T00:00:00Z"), "open all Wednesday");
  assert.equal(nextOpening(inbox("UTC", week.map((d) => ({ ...d, closedAllDay: true }))), at("2026-12-01T12:00:00Z")), null, "never open");
});

test("without working hours an inbox is always open; a bad zone reads as UTC; a bad date throws", () => {
  const off = inbox("UTC", week, false);
  assert.equal(isOpenAt(off, at("2026-12-05T03:00:00Z")), true);
  const t = at("2026-12-05T03:00:00Z");
  assert.equal(nextOpening(off, t), t);
  assert.equal(isOpenAt(inbox("Mars/Olympus"), at("2026-12-01T09:30:00Z")), true);
  assert.equal(isOpenAt(inbox(null), at("2026-12-01T08:30:00Z")), false);
  assert.throws(() => isOpenAt(inbox("UTC"), "tomorrow"), TypeError);
  assert.equal(typeof isOpenAt(inbox("UTC")), "boolean", "default: now");
});
