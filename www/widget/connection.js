// The connection line under the header: "Connecting…", "Connection lost — reconnecting in
// 3 s…" (counting down from the `state` event's retryInMs), "You're offline…"; hidden
// while the socket is open.
export function createConnectionLine(el) {
  let retryAt = null;
  let timer = 0;

  const text = (state) => {
    if (state === "connecting") return "Connecting…";
    if (state === "offline") return "You're offline — we'll reconnect when you're back online";
    if (state !== "reconnecting") return "";
    const left = retryAt ? Math.ceil((retryAt - Date.now()) / 1000) : 0;
    return left > 0 ? `Connection lost — reconnecting in ${left} s…` : "Connection lost — reconnecting…";
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
