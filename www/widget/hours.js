// The header's business-hours line, from the inbox's working hours in the inbox's own
// timezone: "We typically reply in a few minutes" while open, otherwise when the team is
// back ("We're away — we reply tomorrow at 9:00 AM"), in the widget's language (`L`).
import { sdk } from "./sdk.js";
import { knownZone } from "./i18n.js";

/** `{ open, text }` for the header at `now`. */
export function hoursLine(inbox, now, L) {
  if (sdk.isOpenAt(inbox, now)) return { open: true, text: L.t("hoursOpen") };
  const at = sdk.nextOpening(inbox, now);
  if (at === null || at === undefined) return { open: false, text: L.t("hoursAway") };
  return { open: false, text: L.t("hoursBack", { when: when(at, now, zoneOf(inbox), L) }) };
}

/** "today at 9:00 AM", "tomorrow at 9:00 AM", "on Monday at 9:00 AM", "on 12 March at …". */
function when(at, now, timeZone, L) {
  let time = L.dateFormat({ hour: "numeric", minute: "2-digit", timeZone }).format(at);
  // Name the zone when the visitor's differs, so "9:00" is not misread.
  if (Intl.DateTimeFormat().resolvedOptions().timeZone !== timeZone) time += ` (${zoneName(at, timeZone, L)})`;
  const days = L.dayNumber(at, timeZone) - L.dayNumber(now, timeZone);
  if (days <= 0) return L.t("backToday", { time });
  if (days === 1) return L.t("backTomorrow", { time });
  const day = L.dateFormat(days < 7 ? { weekday: "long", timeZone } : { day: "numeric", month: "long", timeZone }).format(at);
  return L.t("backOn", { day, time });
}

function zoneName(at, timeZone, L) {
  const part = L.dateFormat({ timeZone, timeZoneName: "short" }).formatToParts(at).find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}

/** The zone isOpenAt reads the hours in: the inbox's, or UTC when unknown (as the server). */
const zoneOf = (inbox) => knownZone(inbox?.timezone) ?? "UTC";
