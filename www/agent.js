// The agent console: polls the devserver's control API about once a second (the
// inbox's conversations and the selected one's messages, private notes and activity
// included) and plays Ana Agent, Helper Bot or the visitor.
import { h } from "./widget/dom.js";
import { createControl } from "./console/control.js";
import { presets } from "./console/presets.js";
import { conversationItem, messageRow } from "./console/render.js";

const params = new URLSearchParams(location.search);
const baseUrl = params.get("baseUrl") ?? "http://127.0.0.1:3000";
let inbox = params.get("inbox") ?? "demo-inbox";
const control = createControl(baseUrl);
const $ = (id) => document.getElementById(id);
const POLL_MS = 1000;

let conversations = [];
let selected = null;
let messages = [];
let typingOn = false;
let listSig = "";
let logSig = "";

// ---- status bar ----------------------------------------------------------------------

let sockets = "";
let holdUntil = 0;
/** Shows `text`; what an action reports stays a few seconds before polling news replace it. */
function status(text, { error = false, hold = false } = {}) {
  if (!hold && Date.now() < holdUntil) return;
  if (hold) holdUntil = Date.now() + 4000;
  $("status").textContent = text + (sockets ? ` · ${sockets}` : "");
  $("status").classList.toggle("ac-status--error", error);
}

/** Runs a control call, reporting its failure in the status bar. */
async function act(label, fn) {
  try {
    const result = await fn();
    status(`${label}: done`, { hold: true });
    await refresh();
    return result;
  } catch (e) {
    status(`${label} failed: ${e.message}`, { error: true, hold: true });
    return undefined;
  }
}

// ---- polling -------------------------------------------------------------------------

/**
 * Reads the inbox's conversations and the selected one's messages. What comes back is
 * shown only if the inbox and the selection are still the ones it was read for, and no
 * later refresh has been shown already (polls and actions overlap).
 */
let shown = 0;
let asked = 0;
async function refresh() {
  const ticket = ++asked;
  const forInbox = inbox;
  const forSelected = selected;
  const [list, log] = await Promise.all([
    control.conversations(forInbox),
    forSelected === null ? null : control.messages(forSelected),
  ]);
  if (ticket < shown || inbox !== forInbox || selected !== forSelected) return;
  shown = ticket;
  conversations = list;
  renderList();
  if (log) {
    messages = log;
    renderConversation();
  }
}

async function poll() {
  try {
    await refresh();
    status(`Connected to ${baseUrl}`);
  } catch (e) {
    status(`Polling ${baseUrl} failed: ${e.message}`, { error: true, hold: true });
  }
  setTimeout(poll, POLL_MS);
}

async function pollSockets() {
  try {
    const open = await control.sockets();
    const subs = open.reduce((n, s) => n + s.subscriptions.filter((x) => x.confirmed).length, 0);
    sockets = `${open.length} socket${open.length === 1 ? "" : "s"} open, ${subs} subscribed`;
  } catch (e) {
    sockets = `sockets unknown (${e.message})`;
  }
  setTimeout(pollSockets, 2 * POLL_MS);
}

// ---- rendering -----------------------------------------------------------------------

function renderList() {
  const sig = JSON.stringify([selected, conversations]);
  if (sig === listSig) return;
  listSig = sig;
  const sorted = [...conversations].sort((a, b) => b.id - a.id);
  $("conversations").replaceChildren(...sorted.map((c) => conversationItem(c, c.id === selected, select)));
  $("count").textContent = conversations.length ? String(conversations.length) : "";
  $("no-conversations").hidden = conversations.length > 0;
}

function renderConversation() {
  const c = conversations.find((x) => x.id === selected);
  $("pick").hidden = !!c;
  $("conversation-inner").hidden = !c;
  if (!c) return;
  $("conv-title").textContent = `#${c.id} · ${c.contact?.name || "Visitor"}`;
  $("conv-meta").textContent = [c.contact?.email, `source ${c.sourceId}`, c.contactTyping === "on" ? "visitor is typing…" : null].filter(Boolean).join(" · ");
  $("conv-status").textContent = c.status;
  $("conv-status").className = `ac-pill ac-pill--${c.status}`;
  $("resolve").disabled = c.status === "resolved";
  $("reopen").disabled = c.status === "open";
  $("typing").setAttribute("aria-pressed", String(typingOn));
  $("typing").textContent = `Typing: ${typingOn ? "on" : "off"}`;

  const sig = JSON.stringify([c.contact?.name, messages]);
  if (sig === logSig) return;
  logSig = sig;
  const log = $("log");
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  const actions = {
    status: (id, s) => act(`mark #${id} ${s}`, () => control.patchMessage(id, { status: s })),
    remove: (id) => act(`delete #${id}`, () => control.patchMessage(id, { deleted: true })),
  };
  log.replaceChildren(...messages.map((m) => messageRow(m, c.contact?.name, actions)));
  if (atBottom) log.scrollTop = log.scrollHeight;
}

async function select(id) {
  if (selected !== null && typingOn) await setTyping(false);
  selected = id;
  logSig = "";
  messages = [];
  renderList();
  await act(`open #${id}`, async () => {});
  $("log").scrollTop = $("log").scrollHeight;
}

// ---- actions -------------------------------------------------------------------------

const sendAs = () => document.querySelector('input[name="as"]:checked').value;

async function setTyping(on) {
  const as = sendAs() === "agent_bot" ? "agent_bot" : "user";
  await act(`typing ${on ? "on" : "off"}`, async () => {
    await control.typing(selected, on, as);
    typingOn = on;
  });
}

async function sendReply() {
  const text = $("reply").value.trim();
  if (!text || selected === null) return;
  const as = sendAs();
  const c = conversations.find((x) => x.id === selected);
  const ok = await act("send", async () => {
    if (as === "visitor") await control.asVisitor(inbox, c.sourceId, c.id, text);
    else await control.post(selected, { content: text, senderType: as, private: $("private").checked });
    return true;
  });
  if (!ok) return;
  $("reply").value = "";
  // An agent who sends stops typing, as in Chatwoot's dashboard.
  if (typingOn) await setTyping(false);
}

function setupPresets() {
  for (const [key, preset] of Object.entries(presets(location.origin))) {
    const button = h("button", { type: "button", dataset: { preset: key } }, preset.label);
    button.addEventListener("click", () => {
      const as = sendAs() === "agent_bot" ? "agent_bot" : "user";
      act(`send ${preset.label}`, () => control.post(selected, { senderType: as, ...preset.message }));
    });
    $("presets").append(button);
  }
}

async function seed() {
  const c = conversations.find((x) => x.id === selected);
  await act("seed history", async () => {
    for (let i = 1; i <= 30; i++) {
      if (i % 3 === 0) await control.asVisitor(inbox, c.sourceId, c.id, `History message ${i} (visitor)`);
      else await control.post(c.id, { content: `History message ${i}` });
    }
  });
}

// ---- wiring --------------------------------------------------------------------------

function widgetUrl() {
  const q = new URLSearchParams({ baseUrl, inbox });
  return `${location.origin}${location.pathname.replace(/agent\.html$/, "")}?${q}`;
}

function openInbox(next) {
  inbox = next;
  selected = null;
  listSig = logSig = "";
  conversations = messages = [];
  $("inbox-input").value = inbox;
  $("widget-link").href = widgetUrl();
  const q = new URLSearchParams(location.search);
  q.set("inbox", inbox);
  q.set("baseUrl", baseUrl);
  history.replaceState(null, "", `?${q}`);
  renderConversation();
  refresh().catch((e) => status(`Inbox ${inbox}: ${e.message}`, { error: true, hold: true }));
}

$("inbox-form").addEventListener("submit", (event) => {
  event.preventDefault();
  openInbox($("inbox-input").value.trim());
});
$("new-inbox").addEventListener("submit", async (event) => {
  event.preventDefault();
  const f = new FormData(event.target);
  const created = await act("create inbox", () => control.createInbox({
    name: f.get("name") || undefined,
    timezone: f.get("timezone") || undefined,
    csatSurveyEnabled: f.has("csat"),
    workingHoursEnabled: f.has("hours"),
    lockToSingleConversation: f.has("lock"),
  }));
  if (!created) return;
  event.target.closest("details").open = false;
  openInbox(created.identifier);
  // The HMAC token is the inbox's secret: the console keeps it out of sight (it signs
  // identifiers on your server, never in a page).
  status(`Created inbox ${created.identifier}`, { hold: true });
});
$("compose").addEventListener("submit", (event) => {
  event.preventDefault();
  sendReply();
});
$("reply").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    sendReply();
  }
});
$("typing").addEventListener("click", () => setTyping(!typingOn));
$("resolve").addEventListener("click", () => act("resolve", () => control.setStatus(selected, "resolved")));
$("reopen").addEventListener("click", () => act("reopen", () => control.setStatus(selected, "open")));
$("seed").addEventListener("click", seed);
$("drop-sockets").addEventListener("click", () => act("drop sockets", () => control.dropSockets()));
$("restart-sockets").addEventListener("click", () => act("restart sockets", () => control.restartSockets()));
$("pings").addEventListener("click", async () => {
  const paused = $("pings").getAttribute("aria-pressed") !== "true";
  const r = await act(paused ? "pause pings" : "resume pings", () => control.pausePings(paused));
  if (r) {
    $("pings").setAttribute("aria-pressed", String(r.paused));
    $("pings").textContent = r.paused ? "Resume pings" : "Pause pings";
  }
});
$("presence").addEventListener("change", () => {
  const v = $("presence").value;
  act(`presence ${v}`, () => control.setPresence("1", v === "none" ? null : v));
});

setupPresets();
openInbox(inbox);
control.presence().then(
  (p) => ($("presence").value = p["1"] ?? "none"),
  (e) => status(`Reading presence failed: ${e.message}`, { error: true, hold: true }),
);
poll();
pollSockets();
