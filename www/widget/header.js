// What the header says: who is there (agents' presence, their avatars) and when the team
// answers (the business-hours line).
import { h } from "./dom.js";
import { hueFor, initials } from "./format.js";
import { hoursLine } from "./hours.js";
import { senderName } from "./message.js";

export function createHeader(shell, L) {
  let shownNames = "";
  return {
    /** `snapshot.agents`: any agent online, else busy, else away. */
    presence(agents) {
      const states = Object.values(agents ?? {});
      const state = states.includes("online") ? "online" : states.includes("busy") ? "busy" : "away";
      shell.dot.className = `cw-dot cw-dot--${state}`;
      shell.presence.textContent = L.t(state);
    },
    hours(inbox) {
      const line = hoursLine(inbox, Date.now(), L);
      shell.hours.textContent = line.text;
      shell.panel.classList.toggle("cw-panel--away", !line.open);
    },
    /** The agents and bots who took part (the last three), or the inbox's initials. */
    avatars(messages, inboxName) {
      const names = [];
      for (const m of messages) {
        const kind = m.sender?.kind;
        if ((kind === "user" || kind === "agent_bot") && !names.includes(senderName(m, L.t))) names.push(senderName(m, L.t));
      }
      const shown = names.length ? names.slice(-3) : [inboxName];
      if (shown.join("\n") === shownNames) return;
      shownNames = shown.join("\n");
      shell.avatars.replaceChildren(...shown.map((n) => h("span", { class: "cw-avatar", style: { "--hue": String(hueFor(n)) }, title: n }, initials(n))));
    },
  };
}
