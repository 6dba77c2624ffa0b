// The header's business-hours line, from the inbox's working hours in the inbox's own
// timezone: "We typically reply in a few minutes" while open, otherwise when the team is
// back ("We're away — we reply tomorrow at 9:00 AM").
import { sdk } from "./sdk.js";
import { dateFormat } from "./format.js";

/** `{ open, text }` for the header at `now`. */
export function hoursLine(inbox, now = Date.now()) {
  if (sdk.isOpenAt(inbox, now)) return { open: true, text: "We typically reply in a few minutes" };
  const at = sdk.nextOpening(inbox, now);
  if (at === null || at === undefined) return { open: false, text: "We're away right now — leave us a message" };
  return { open: false, text: `We're away — we reply ${when(at, now, zoneOf(inbox))}` };
}

/** "today at 9:00 AM", "tomorrow at 9:00 AM", "on Monday at 9:00 AM", "on 12 March at …". */
function when(at, now, timeZone) {
  const clock = dateFormat({ hour: "numeric", minute: "2-digit", timeZone }).format(at);
  // Name the zone when the visitor's differs, so "9:00" is not misread.
  const mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zone = mine !== timeZone ? ` (${zoneName(at, timeZone)})` : "";
  const days = dayNumber(at, timeZone) - dayNumber(now, timeZone);
  let day;
  if (days <= 0) day = "today";
  else if (days === 1) day = "tomorrow";
  else if (days < 7) day = `on ${dateFormat({ weekday: "long", timeZone }).format(at)}`;
  else day = `on ${dateFormat({ day: "numeric", month: "long", timeZone }).format(at)}`;
  return `${day} at ${clock}${zone}`;
}

function zoneName(at, timeZone) {
  const part = dateFormat({ timeZone, timeZoneName: "short" }).formatToParts(at).find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}

/** The zone isOpenAt reads the hours in: the inbox's, or UTC when unknown (as the server). */
function zoneOf(inbox) {
  const tz = inbox?.timezone;
  if (!tz) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz;
  } catch {
    return "UTC";
  }
}

/** Days since the epoch of the wall date in `timeZone` (to tell today from tomorrow there). */
function dayNumber(ms, timeZone) {
  const parts = {};
  for (const p of new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric" }).formatToParts(ms)) parts[p.type] = p.value;
  return Math.floor(Date.UTC(+parts.year, +parts.month - 1, +parts.day) / 86_400_000);
}
