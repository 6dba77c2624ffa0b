// The connection line under the header: "Connecting…", "Connection lost — reconnecting in
// 3 s…" (counting down from the `state` event's retryInMs), "You're offline…"; hidden
// while the socket is open. Texts in the widget's language (`t`).
export function createConnectionLine(el, t) {
  let retryAt = null;
  let timer = 0;

  const text = (state) => {
    if (state === "connecting") return t("connecting");
    if (state === "offline") return t("offline");
    if (state !== "reconnecting") return "";
    const seconds = retryAt ? Math.ceil((retryAt - Date.now()) / 1000) : 0;
    return seconds > 0 ? t("reconnectingIn", { seconds }) : t("reconnecting");
  };
  const paint = (state) => {
    const value = text(state);
    el.hidden = !value;
    el.dataset.state = value ? state : "open";
    if (el.textContent !== value) el.textContent = value;
  };

  return {
    /** Stops the countdown (the widget is going away). */
    stop() {
      clearInterval(timer);
    },
    /** From a `state` event: when the next attempt is due (reconnecting only). */
    retryIn(state, ms) {
      retryAt = state === "reconnecting" && typeof ms === "number" ? Date.now() + ms : null;
    },
    show(state) {
      clearInterval(timer);
      paint(state);
      if (state === "reconnecting" && retryAt) {
        timer = setInterval(() => {
          paint(state);
          if (Date.now() > retryAt) clearInterval(timer);
        }, 250);
      }
    },
  };
}
