// Shared pieces of the demo widget's browser tests: opening the widget and the agent
// console on an inbox, collecting every page error / dialog / console error, the
// pre-chat step, screenshots, and a PNG made on the spot.
import { mkdirSync } from "node:fs";
import { deflateSync } from "node:zlib";

export const SHOTS = "test-output/screenshots";
mkdirSync(SHOTS, { recursive: true });

/**
 * Records what must never happen on a page: uncaught errors, dialogs (alert() from
 * injected script would open one) and console errors. `allow` holds patterns of console
 * errors a test provokes on purpose (a 500 it armed, a socket it dropped).
 */
export function watch(page, name, problems, allow) {
  page.on("pageerror", (e) => problems.push(`${name}: pageerror ${e.message}`));
  page.on("dialog", (d) => {
    problems.push(`${name}: dialog ${d.type()} ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (allow.some((re) => re.test(m.text()))) return;
    problems.push(`${name}: console error ${m.text()}`);
  });
}

export const widgetUrl = (files, server, inbox, extra = "") =>
  `${files.url}/www/?baseUrl=${encodeURIComponent(server.url)}&inbox=${encodeURIComponent(inbox)}${extra}`;
export const consoleUrl = (files, server, inbox) =>
  `${files.url}/www/agent.html?baseUrl=${encodeURIComponent(server.url)}&inbox=${encodeURIComponent(inbox)}`;

export async function openPage(context, url, name, problems, allow = []) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  watch(page, name, problems, allow);
  await page.goto(url);
  return page;
}

/**
 * A screenshot with CSS animations settled (a row's entrance would otherwise be caught
 * mid-fade) and the mouse out of the way (no hover state left over from the last click).
 */
export async function shot(page, file) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/${file}`, animations: "disabled" });
}

/** Opens the panel and answers the pre-chat form; resolves when the composer is ready. */
export async function startChat(page, name = "Zoe Tester", email = "zoe@example.com") {
  await page.locator(".cw-launcher").click();
  await page.locator("#cw-prechat-name").fill(name);
  await page.locator("#cw-prechat-email").fill(email);
  await page.getByRole("button", { name: "Start conversation" }).click();
  await page.getByRole("textbox", { name: "Message" }).waitFor();
}

/**
 * With the panel open on the pre-chat form (its texts `t`, a locale table): through the
 * form to a conversation with the visitor's `text`, then the agent's `reply` shown; the
 * conversation's id.
 */
export async function converse(page, server, inbox, { t, text, reply }) {
  await page.locator("#cw-prechat-name").fill("Sam Site");
  await page.locator("#cw-prechat-email").fill("sam@example.com");
  await page.getByRole("button", { name: t.startConversation }).click();
  await page.getByRole("textbox", { name: t.message }).fill(text);
  await page.keyboard.press("Enter");
  await page.locator(".cw-row--mine[data-status='sent']").waitFor();
  const [conversation] = await server.control("GET", `/inboxes/${inbox}/conversations`);
  await server.control("POST", `/conversations/${conversation.id}/messages`, { content: reply });
  await page.locator(".cw-row--agent", { hasText: reply }).waitFor();
  return conversation.id;
}

/** Sends `text` from the composer and waits until the server has it. */
export async function say(page, text) {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.keyboard.press("Enter");
  await page.locator(".cw-row--mine[data-status='sent']", { hasText: text }).last().waitFor();
}

/** The focused element, inside the widget's shadow root when focus is there. */
export const focused = (page) =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? { id: el.id, classes: [...el.classList], label: el.getAttribute("aria-label") } : null;
  });

/** Polls `fn` until it returns something truthy (server state seen from the test). */
export async function eventually(fn, what, ms = 10_000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not in time: ${what}`);
}

/** An RGB PNG, stored uncompressed so its size is width × height × 3 (for upload progress). */
export function makePng(width, height) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      const i = row + 1 + x * 3;
      raw[i] = Math.round(59 + (x / width) * 120);
      raw[i + 1] = Math.round(91 + (y / height) * 100);
      raw[i + 2] = 219 - Math.round((x / width) * 90);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 0 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
