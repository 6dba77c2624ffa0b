// The widget's language: its texts (a locale table, with the site's overrides on top),
// its direction, and dates, times and sizes through `Intl` in that locale and in the
// inbox's timezone. English is built in; the other tables are loaded when chosen, so a
// page pays only for its own language.
import en from "./locales/en.js";

const TABLES = {
  en: async () => en,
  id: async () => (await import("./locales/id.js")).default,
  es: async () => (await import("./locales/es.js")).default,
  ar: async () => (await import("./locales/ar.js")).default,
};
const RTL = new Set(["ar"]);

/** `timeZone` if `Intl` knows it (an IANA name), else `undefined`. */
export function knownZone(timeZone) {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

/** The locales with a table of their own. */
export const LOCALES = Object.keys(TABLES);

/**
 * The locale to use for `requested` (a BCP 47 tag such as "es-MX"; else the page's
 * `<html lang>`, else the browser's): `{ lang, tag }`, where `lang` names the table and
 * `tag` is what `Intl` formats with ("es-MX" keeps Mexican formats). A language without a
 * table falls back to English, dates included, so the texts and dates agree.
 */
export function chooseLocale(requested) {
  const wanted = requested || globalThis.document?.documentElement.lang || globalThis.navigator?.language || "en";
  let tag;
  try {
    tag = Intl.getCanonicalLocales(wanted)[0];
  } catch {
    return { lang: "en", tag: "en" };
  }
  const lang = tag.split("-")[0].toLowerCase();
  return LOCALES.includes(lang) ? { lang, tag } : { lang: "en", tag: "en" };
}

/** The table of `lang` (English when it cannot be loaded). */
export async function loadTexts(lang) {
  try {
    return (await (TABLES[lang] ?? TABLES.en)()) ?? en;
  } catch {
    return en;
  }
}

/**
 * The widget's language object: `t(key, vars)`, `dir`, and formatting that follows
 * `setZone` (the inbox's timezone once known; until then the browser's).
 * `overrides` is the site's own texts, by key.
 */
export function createI18n({ lang = "en", tag = "en", table = en, overrides = {} } = {}) {
  const texts = { ...en, ...table, ...overrides };
  const plural = new Intl.PluralRules(tag);
  let zone;
  let formats = new Map();

  /** The text of `key` with `{name}` filled in from `vars` (its plural form for `vars.count`). */
  function t(key, vars) {
    let text = texts[key];
    if (vars && typeof vars.count === "number") text = texts[`${key}_${plural.select(vars.count)}`] ?? texts[`${key}_other`] ?? text;
    if (typeof text !== "string") return key;
    return vars ? text.replace(/\{(\w+)\}/g, (all, name) => (name in vars ? String(vars[name]) : all)) : text;
  }

  /** An `Intl.DateTimeFormat` in the locale and zone (`options.timeZone` wins), made once. */
  function dateFormat(options) {
    const key = JSON.stringify(options);
    let format = formats.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(tag, { timeZone: zone, ...options });
      formats.set(key, format);
    }
    return format;
  }

  /** Days since the epoch of the wall date in `timeZone` (to tell today from tomorrow there). */
  function dayNumber(ms, timeZone = zone) {
    const parts = {};
    for (const p of dateFormat({ timeZone, year: "numeric", month: "numeric", day: "numeric", calendar: "gregory", numberingSystem: "latn" }).formatToParts(ms)) parts[p.type] = p.value;
    return Math.floor(Date.UTC(+parts.year, +parts.month - 1, +parts.day) / 86_400_000);
  }

  const upperFirst = (s) => s.charAt(0).toLocaleUpperCase(tag) + s.slice(1);
  const sizes = new Map(); // Intl.NumberFormat by unit and digits
  let relative = null;

  return {
    lang,
    tag,
    dir: RTL.has(lang) ? "rtl" : "ltr",
    t,
    dateFormat,
    dayNumber,
    /** Dates and times from now on in `timeZone` (an IANA name; an invalid one is ignored). */
    setZone(timeZone) {
      timeZone = knownZone(timeZone);
      if (timeZone === zone) return;
      zone = timeZone;
      formats = new Map();
    },
    /** "9:41 AM" (or the locale's own). */
    time: (ms) => dateFormat({ hour: "numeric", minute: "2-digit" }).format(ms),
    /** A key that is equal for two times of the same day in the zone. */
    dayKey: (ms) => dayNumber(ms),
    /** "Today", "Yesterday" (the locale's words), a weekday within the last week, else the date. */
    dayLabel(ms, now = Date.now()) {
      const days = dayNumber(now) - dayNumber(ms);
      if (days === 0 || days === 1) {
        relative ??= new Intl.RelativeTimeFormat(tag, { numeric: "auto" });
        return upperFirst(relative.format(-days, "day"));
      }
      if (days > 1 && days < 7) return upperFirst(dateFormat({ weekday: "long" }).format(ms));
      const sameYear = dateFormat({ year: "numeric" }).format(ms) === dateFormat({ year: "numeric" }).format(now);
      return dateFormat(sameYear ? { weekday: "short", day: "numeric", month: "long" } : { day: "numeric", month: "long", year: "numeric" }).format(ms);
    },
    /** "12 kB", "3.4 MB" in the locale's digits and separators. */
    fileSize(bytes) {
      if (typeof bytes !== "number" || !Number.isFinite(bytes) || bytes < 0) return "";
      const units = ["byte", "kilobyte", "megabyte", "gigabyte"];
      let unit = 0;
      let value = bytes;
      while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
      }
      const digits = unit > 0 && value < 10 ? 1 : 0;
      const key = `${units[unit]}/${digits}`;
      let format = sizes.get(key);
      if (!format) {
        format = new Intl.NumberFormat(tag, { style: "unit", unit: units[unit], unitDisplay: "short", maximumFractionDigits: digits, minimumFractionDigits: digits });
        sizes.set(key, format);
      }
      return format.format(value);
    },
  };
}
