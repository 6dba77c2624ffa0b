// A ChatSession as React state: useSyncExternalStore re-renders on every change of
// chat.getSnapshot(), which is the same object until something changed.
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { init, ChatSession } from "chatwoot-inbox-sdk";

const empty = () => () => {};
const none = () => null;

/** Starts a session for the component's lifetime; `chat` is null until it is open. */
export function useChatSession(options) {
  const [chat, setChat] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let closed = false;
    let session = null;
    init()
      .then(() => ChatSession.start(options))
      .then((s) => (closed ? s.close() : setChat((session = s))))
      .catch(setError);
    return () => {
      closed = true;
      session?.close();
    };
    // The options are read once: a new session per mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return { chat, error };
}

/** The session's snapshot (state, conversations, messages, typing, agents). */
export function useChatSnapshot(chat) {
  const subscribe = useCallback((onChange) => (chat ? chat.subscribe(onChange) : () => {}), [chat]);
  const getSnapshot = useCallback(() => (chat ? chat.getSnapshot() : null), [chat]);
  return useSyncExternalStore(chat ? subscribe : empty, chat ? getSnapshot : none);
}
