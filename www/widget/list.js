// The scrolling message list. Rows are keyed (server id, or echo id for a send in
// flight, kept across the switch to the server id) and re-rendered only when their
// message changed, so typed answers, focus and images survive updates. Day separators
// and bubble groups are derived on every update. Scrolling to the top reads older pages;
// the visible row keeps its place while they are inserted above it.
import { h, icon } from "./dom.js";
import { renderMessage, sideOf, authorKey, senderName, setProgress, avatar } from "./message.js";

const GROUP_GAP_MS = 5 * 60_000;
const NEAR = 60; // px from an edge that count as "at" it

export function createMessageList({ ctx, onLoadOlder }) {
  const { L } = ctx;
  const { t } = L;
  const history = h("div", { class: "cw-history", "aria-live": "polite" });
  // A list (its rows are list items) that is also a live region: new messages are read out.
  const list = h("ol", { class: "cw-messages", "aria-label": t("messages"), "aria-live": "polite", "aria-relevant": "additions" });
  const typingName = h("span", { class: "cw-visually-hidden" });
  const typingFace = h("span", { class: "cw-typing__face" });
  const typing = h("div", { class: "cw-typing", hidden: true }, typingFace,
    h("div", { class: "cw-typing__dots", "aria-hidden": "true" }, h("span"), h("span"), h("span")), typingName);
  const intro = h("div", { class: "cw-intro", hidden: true });
  const scroller = h("div", { class: "cw-scroll", tabindex: "0", "aria-label": t("conversation") }, history, intro, list, typing);
  const jump = h("button", { type: "button", class: "cw-jump", hidden: true, onclick: () => scrollToBottom(true) }, icon("chevronDown"), t("newMessages"));
  const el = h("div", { class: "cw-list" }, scroller, jump);

  const rows = new Map(); // key → li (with .sig)
  const days = new Map(); // day key → li
  const aliases = new Map(); // server id → echo key
  let historyState = { ready: false, loading: false, exhausted: false, failed: false };
  let lastKey = null;

  // A send keeps its echo id once the server has it, so its row (and images) stay put.
  const keyOf = (m) => (m.echoId ? `e${m.echoId}` : aliases.get(m.id) ?? `m${m.id}`);

  function atBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR;
  }

  function scrollToBottom(smooth = false) {
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: smooth ? "smooth" : "instant" });
    jump.hidden = true;
  }

  /**
   * The first message row in view and its distance from the top, to restore after
   * inserts above. (Not a day separator: an older page of the same day moves it up.)
   */
  function anchor() {
    for (const row of list.querySelectorAll(".cw-row")) {
      if (row.offsetTop + row.offsetHeight > scroller.scrollTop) return { row, delta: row.offsetTop - scroller.scrollTop };
    }
    return null;
  }

  function update(messages, typingUser) {
    const stick = atBottom();
    const keep = stick ? null : anchor();
    const wanted = [];
    let prev = null; // the previous bubble that a next one may join
    let prevDay = null;
    for (const m of messages) {
      const when = m.createdAt ?? Date.now();
      const day = L.dayKey(when);
      if (day !== prevDay) {
        let sep = days.get(day);
        if (!sep) {
          sep = h("li", { class: "cw-day" }, h("span", {}, L.dayLabel(when)));
          days.set(day, sep);
        }
        sep.firstChild.textContent = L.dayLabel(when); // "Today" becomes "Yesterday" at midnight
        wanted.push(sep);
        prevDay = day;
        prev = null;
      }
      const row = rowFor(m);
      const joins = sideOf(m) !== "activity" && !row.classList.contains("cw-row--card");
      const grouped = !!prev && joins && authorKey(prev) === authorKey(m) && when - (prev.createdAt ?? when) < GROUP_GAP_MS;
      row.classList.toggle("cw-row--cont", grouped);
      wanted.push(row);
      prev = joins ? m : null;
    }
    // A bubble ends its group unless the next row continues it (avatar and time go there).
    wanted.forEach((node, i) => {
      if (node.classList.contains("cw-row")) node.classList.toggle("cw-row--last", !wanted[i + 1]?.classList.contains("cw-row--cont"));
    });

    // Put the wanted rows in order, touching only what moved.
    const wantedSet = new Set(wanted);
    for (const child of [...list.children]) if (!wantedSet.has(child)) child.remove();
    wanted.forEach((node, i) => {
      if (list.children[i] !== node) list.insertBefore(node, list.children[i] ?? null);
    });
    for (const [key, row] of rows) if (!wantedSet.has(row)) rows.delete(key);

    renderHistory({}); // "beginning of the conversation" needs rows to sit above
    intro.hidden = messages.length > 0 || !intro.firstChild;
    setTyping(typingUser);

    const newest = messages.at(-1);
    const newestKey = newest ? keyOf(newest) : null;
    const arrived = newestKey !== null && newestKey !== lastKey;
    lastKey = newestKey;
    if (stick || (arrived && sideOf(newest) === "mine")) scrollToBottom();
    else if (keep) scroller.scrollTop = keep.row.offsetTop - keep.delta;
    if (arrived && !stick && sideOf(newest) !== "mine") jump.hidden = false;
    maybeLoadOlder();
  }

  function rowFor(m) {
    const key = keyOf(m);
    const side = sideOf(m);
    // Agents' read status is not shown, so it does not re-render their messages.
    const sig = JSON.stringify([m.content, m.contentType, m.contentAttributes, m.attachments, m.deleted, m.createdAt, m.sender?.name, m.sender?.avatarUrl, side === "mine" ? m.status : 0]);
    let row = rows.get(key);
    if (!row) {
      row = h("li", { class: "cw-row" });
      rows.set(key, row);
    }
    if (row.sig !== sig) {
      row.sig = sig;
      const card = m.contentType === "input_csat" && !m.deleted;
      row.className = `cw-row cw-row--${side}${card ? " cw-row--card" : ""}`;
      row.dataset.key = key;
      if (m.id > 0) row.dataset.id = String(m.id);
      if (side === "mine") row.dataset.status = m.status ?? "sent";
      row.replaceChildren(...[renderMessage(m, ctx)].flat());
    }
    return row;
  }

  function setTyping(user) {
    const show = !!user;
    const was = !typing.hidden;
    typing.hidden = !show;
    const name = show ? senderName({ sender: user }, t) : "";
    typingName.textContent = show ? t("typing", { name }) : "";
    if (show && typing.dataset.name !== name) typingFace.replaceChildren(avatar({ sender: user }, t));
    typing.dataset.name = name;
    if (show && !was && atBottom()) scrollToBottom();
  }

  /** Runs `change` without moving what the visitor looks at (or off the bottom). */
  function keepingPlace(change) {
    const stick = atBottom();
    const keep = stick ? null : anchor();
    change();
    if (stick) scroller.scrollTop = scroller.scrollHeight;
    else if (keep) scroller.scrollTop = keep.row.offsetTop - keep.delta;
  }

  function setHistory(next) {
    keepingPlace(() => renderHistory(next));
    maybeLoadOlder();
  }

  let historyShown = null;
  function renderHistory(next) {
    historyState = { ...historyState, ...next };
    const { ready, loading, exhausted, failed } = historyState;
    const state = failed && !loading ? "failed" : !ready || loading ? (loading ? "older" : "first") : exhausted && list.querySelector(".cw-row") ? "start" : "more";
    if (state === historyShown) return; // unchanged: nothing to re-announce
    historyShown = state;
    history.className = `cw-history cw-history--${state}`;
    history.replaceChildren();
    if (state === "failed") history.append(t("olderFailed"), h("button", { type: "button", class: "cw-link-btn", onclick: () => onLoadOlder() }, t("retry")));
    else if (state === "older" || state === "first") history.append(h("span", { class: "cw-spinner", "aria-hidden": "true" }), t(state === "older" ? "loadingOlder" : "loadingMessages"));
    else if (state === "start") history.append(t("beginning"));
  }

  /** Reads older pages when scrolled to the top, or when the list does not fill the view. */
  function maybeLoadOlder() {
    const { ready, loading, exhausted, failed } = historyState;
    // After a failure only the Retry button reads again (no request loop at the top).
    // Nothing while the panel is closed (no layout), or it would read the whole history.
    if (!ready || loading || exhausted || failed || !el.isConnected || scroller.clientHeight === 0) return;
    // An empty thread has nothing older (its newest page was empty).
    if (!list.querySelector(".cw-row")) return;
    if (scroller.scrollTop < NEAR || scroller.scrollHeight <= scroller.clientHeight) onLoadOlder();
  }

  scroller.addEventListener("scroll", () => {
    if (atBottom()) jump.hidden = true;
    maybeLoadOlder();
  }, { passive: true });

  return {
    el,
    update,
    setHistory,
    scrollToBottom,
    /** A send became a server message: keep its row. */
    alias(id, echoId) {
      aliases.set(id, `e${echoId}`);
    },
    /** What an empty conversation shows (a greeting). */
    setIntro(...nodes) {
      intro.replaceChildren(...nodes);
    },
    /** Builds every row again (widget-extras.js has come: its messages can render now). */
    refresh() {
      for (const row of rows.values()) row.sig = null;
    },
    progress(echoId, loaded, total) {
      setProgress(rows.get(`e${echoId}`), loaded, total, t);
    },
    reset() {
      rows.clear();
      days.clear();
      aliases.clear();
      list.replaceChildren();
      lastKey = null;
      historyState = { ready: false, loading: false, exhausted: false, failed: false };
      historyShown = null;
      renderHistory({});
    },
  };
}
