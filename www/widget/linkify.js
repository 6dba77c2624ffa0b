// Message text as DOM: text nodes, with http(s) URLs (and "www." hosts, as https) turned
// into links that open in a new tab without handing the page over (noopener). Any other
// scheme (javascript:, data:, file:…) is never matched, so it stays plain text.
import { h, safeUrl } from "./dom.js";

// A URL runs until whitespace or a character that cannot end one in running text.
const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?'"»”’]+$/;

/** Splits `text` into text nodes and safe links, appended to a fragment. */
export function linkify(text) {
  const out = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    let raw = trimUrl(match[0]);
    const start = match.index;
    const href = safeUrl(/^www\./i.test(raw) ? `https://${raw}` : raw);
    if (!href) continue;
    if (start > last) out.append(document.createTextNode(text.slice(last, start)));
    out.append(h("a", { href, target: "_blank", rel: "noopener noreferrer", class: "cw-link" }, raw));
    last = start + raw.length;
  }
  if (last < text.length) out.append(document.createTextNode(text.slice(last)));
  return out;
}

/** Drops punctuation that ends a sentence, and a ")" the URL did not open. */
function trimUrl(raw) {
  let url = raw.replace(TRAILING, "");
  while (url.endsWith(")") && count(url, "(") < count(url, ")")) url = url.slice(0, -1).replace(TRAILING, "");
  return url;
}

const count = (s, c) => s.split(c).length - 1;
