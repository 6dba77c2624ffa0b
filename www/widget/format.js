// Small formatting helpers that do not depend on the language: initials, avatar hues,
// file names. (Dates, times and sizes are the locale's: i18n.js.)

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
