// `on` and `subscribe` return their own "stop" function, which a wasm export cannot
// build without leaking a closure; they are thin wrappers over addListener/removeListener.
export function withSessionHelpers(ChatSession) {
  const proto = ChatSession.prototype;
  if (!Object.prototype.hasOwnProperty.call(proto, "on")) {
    Object.defineProperties(proto, {
      on: {
        value(type, listener) {
          if (typeof listener !== "function") throw new TypeError("listener must be a function");
          const id = this.addListener(type, listener);
          return () => this.removeListener(id);
        },
        writable: true,
        configurable: true,
      },
      subscribe: {
        value(listener) {
          return this.on("change", listener);
        },
        writable: true,
        configurable: true,
      },
    });
  }
  return ChatSession;
}
