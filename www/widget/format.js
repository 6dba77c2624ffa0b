// Small formatting helpers: dates, file sizes, initials. Dates follow the page's
// language (`<html lang>`), so they read like the widget's own texts.

/** The page's language, read when first needed (importing touches no `document`). */
export const locale = () => globalThis.document?.documentElement.lang || undefined;
const formats = new Map();
/** An `Intl.DateTimeFormat` in the page's language, made once per set of options. */
export function dateFormat(options) {
  const key = JSON.stringify(options);
  if (!formats.has(key)) formats.set(key, new Intl.DateTimeFormat(locale(), options));
  return formats.get(key);
}
const time = { format: (ms) => dateFormat({ hour: "numeric", minute: "2-digit" }).format(ms) };
const weekday = { format: (ms) => dateFormat({ weekday: "long" }).format(ms) };
const dateThisYear = { format: (ms) => dateFormat({ weekday: "short", day: "numeric", month: "long" }).format(ms) };
const dateOtherYear = { format: (ms) => dateFormat({ day: "numeric", month: "long", year: "numeric" }).format(ms) };

/** A key that is equal for two times of the same local day. */
export function dayKey(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** "Today", "Yesterday", a weekday within the last week, else the date. */
export function dayLabel(ms, now = Date.now()) {
  const day = startOfDay(ms);
  const today = startOfDay(now);
  const days = Math.round((today - day) / 86_400_000);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  if (days > 1 && days < 7) return weekday.format(ms);
  return (new Date(ms).getFullYear() === new Date(now).getFullYear() ? dateThisYear : dateOtherYear).format(ms);
}

function startOfDay(ms) {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export const timeLabel = (ms) => time.format(ms);

/** "12 KB", "3.4 MB". */
export function fileSize(bytes) {
  if (typeof bytes !== "number" || !Number.isFinite(bytes)) return "";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** Up to two initials of a name ("Ana Agent" → "AA"). */
export function initials(name) {
  const words = String(name ?? "").trim().split(/\s+/).filter(Boolean);
  if (!words.length) return "?";
  const first = [...words[0]][0] ?? "";
  const second = words.length > 1 ? [...words[words.length - 1]][0] ?? "" : "";
  return (first + second).toUpperCase();
}

/** A stable hue for an avatar, from the name. */
export function hueFor(name) {
  let hash = 0;
  for (const ch of String(name ?? "")) hash = (hash * 31 + ch.codePointAt(0)) | 0;
  return Math.abs(hash) % 360;
}

/** The file name at the end of an attachment URL ("…/redirect/7/report.pdf" → "report.pdf"). */
export function fileNameFromUrl(url) {
  try {
    const last = new URL(url).pathname.split("/").filter(Boolean).pop() ?? "";
    return decodeURIComponent(last) || "file";
  } catch {
    return "file";
  }
}
