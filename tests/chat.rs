//! The `ChatSession` engine without I/O: upsert by id, optimistic sends reconciled by
//! whichever of HTTP reply and socket echo comes first, catch-up that finds exactly what
//! was missed, socket events filtered to this contact, typing in and out.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chatwoot_inbox_sdk::chat::{Change, Core, Event, Pending, Thread, Toggle, TypingOut};
use chatwoot_inbox_sdk::model::{Conversation, Message, MessageStatus};
use chatwoot_inbox_sdk::realtime::{Frame, Push};
use chatwoot_inbox_sdk::Error;
use serde_json::{json, Value};

const SOURCE: &str = "src-1";

fn msg(id: i64) -> Message {
    from(
        json!({"id": id, "content": format!("m{id}"), "message_type": 1, "created_at": 1_700_000_000 + id}),
    )
}
fn from(v: Value) -> Message {
    chatwoot_inbox_sdk::model::decode(&v.to_string()).unwrap()
}
fn page(ids: std::ops::RangeInclusive<i64>) -> Vec<Message> {
    ids.map(msg).collect()
}
fn ids(t: &Thread) -> Vec<i64> {
    t.snapshot().map(|m| m.id).collect()
}
fn created(changes: &[Change]) -> Vec<i64> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Created(m) => Some(m.id),
            _ => None,
        })
        .collect()
}
fn pending(echo: &str, content: &str) -> Pending {
    let message = from(
        json!({"id": -1, "content": content, "message_type": 0, "status": "sending", "created_at": 1_700_000_000}),
    );
    Pending {
        echo_id: echo.into(),
        message,
        error: None,
    }
}
/// A broadcast as the socket delivers it (leaked: a test's frames live for the test).
fn push(event: &str, data: Value) -> Push<'static> {
    let frame = json!({"identifier": "x", "message": {"event": event, "data": data}});
    let text: &'static str = Box::leak(frame.to_string().into_boxed_str());
    Frame::parse(text).unwrap().1.unwrap()
}
fn ws_message(id: i64, conversation: i64, source: &str, extra: Value) -> Value {
    let mut v = json!({"id": id, "content": format!("m{id}"), "message_type": 1, "created_at": 1_700_000_000,
        "updated_at": "2024-08-16T09:52:13.373Z", "inbox_id": 7, "conversation_id": conversation, "status": "sent",
        "conversation": {"contact_inbox": {"source_id": source}}, "account_id": 1});
    if let (Value::Object(v), Value::Object(extra)) = (&mut v, extra) {
        v.extend(extra);
    }
    v
}
fn conversation(id: i64, status: &str) -> Value {
    json!({"id": id, "inbox_id": 7, "status": status, "contact_inbox": {"source_id": SOURCE}, "messages": [], "account_id": 1})
}
fn conv(v: Value) -> Conversation {
    let mut c: Conversation = chatwoot_inbox_sdk::model::decode(&v.to_string()).unwrap();
    c.messages.clear();
    c
}
/// An event as listeners receive it.
fn event_json(e: &Event) -> Value {
    serde_json::to_value(e).unwrap()
}
fn names(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(Event::name).collect()
}

#[test]
fn upsert_by_id_orders_and_dedups() {
    let mut t = Thread::default();
    t.on_first_page(page(5..=9));
    assert!(t.at_start());
    assert!(t.on_created(msg(10)).is_some());
    assert!(t.on_created(msg(10)).is_none(), "a repeat is not news");
    // 7 came with the page: its broadcast, which the page overtook, is news once.
    assert!(matches!(t.on_created(msg(7)), Some(Change::Created(_))));
    assert!(t.on_created(msg(7)).is_none());
    assert_eq!(ids(&t), vec![5, 6, 7, 8, 9, 10]);
    // A status change is an update; REST's missing status keeps the socket's.
    let read = from(json!({"id": 10, "content": "m10", "message_type": 1, "status": "read"}));
    assert!(matches!(t.on_updated(read), Some(Change::Updated(_))));
    t.on_catch_up(vec![page(1..=10)]);
    assert_eq!(t.get(10).unwrap().status, Some(MessageStatus::Read));
}

#[test]
fn optimistic_send_reconciled_by_http_first_then_echo_is_silent() {
    let mut t = Thread::default();
    t.on_first_page(vec![]);
    t.push_pending(pending("e1", "hello"));
    assert_eq!(ids(&t), vec![-1]);
    let reply = from(json!({"id": 30, "content": "hello", "message_type": 0}));
    match t.on_sent("e1", reply).unwrap() {
        Change::Sent { echo_id, message } => {
            assert_eq!(echo_id, "e1");
            assert_eq!(message.status, Some(MessageStatus::Sent));
        }
        other => panic!("{other:?}"),
    }
    let echo = from(
        json!({"id": 30, "content": "hello", "message_type": 0, "status": "sent", "echo_id": "e1"}),
    );
    assert!(
        t.on_created(echo).is_none(),
        "the echo after the reply is silent"
    );
    assert_eq!(ids(&t), vec![30]);
}

#[test]
fn optimistic_send_reconciled_by_echo_first_then_reply_is_silent_sent_once() {
    let mut t = Thread::default();
    t.on_first_page(vec![]);
    t.push_pending(pending("e1", "hello"));
    let echo = from(
        json!({"id": 30, "content": "hello", "message_type": 0, "status": "sent", "echo_id": "e1"}),
    );
    assert!(matches!(t.on_created(echo), Some(Change::Sent { .. })));
    let reply = from(json!({"id": 30, "content": "hello", "message_type": 0}));
    assert!(t.on_sent("e1", reply).is_none(), "sent is reported once");
    assert_eq!(ids(&t), vec![30]);
    assert_eq!(
        t.get(30).unwrap().echo_id.as_deref(),
        Some("e1"),
        "the stored copy keeps its echo id"
    );
}

/// A first page read while messages stream in can overtake their `message.created`
/// broadcasts (found by the bench: 20 of 5,000 burst messages came as
/// `message.updated`). Those are news when their broadcast comes, once; the page's
/// older messages, which no broadcast follows, stay history.
#[test]
fn a_broadcast_overtaken_by_the_first_page_is_still_news() {
    let mut t = Thread::default();
    t.mark_synced();
    assert!(created(&t.on_first_page(page(1..=5))).is_empty());
    // The socket's copy says its status (REST does not), and comes after the page.
    let live = |id: i64| {
        let mut m = msg(id);
        m.status = Some(MessageStatus::Sent);
        m
    };
    assert!(matches!(t.on_created(live(4)), Some(Change::Created(m)) if m.id == 4));
    assert!(matches!(t.on_created(live(5)), Some(Change::Created(m)) if m.id == 5));
    // Once: the same broadcast again changes nothing.
    assert!(t.on_created(live(5)).is_none());
    // A message the socket announced before the page came is not announced again.
    let mut u = Thread::default();
    assert!(matches!(u.on_created(live(6)), Some(Change::Created(_))));
    u.on_first_page(page(1..=6));
    assert!(u.on_created(live(6)).is_none());
    // An edit of a page's message is an update, and no later copy makes it news.
    let mut edited = msg(3);
    edited.content = Some("edited".into());
    assert!(matches!(t.on_updated(edited), Some(Change::Updated(_))));
    assert!(!matches!(t.on_created(live(3)), Some(Change::Created(_))));
    assert_eq!(ids(&t), vec![1, 2, 3, 4, 5]);
}

#[test]
fn failed_send_is_kept_and_retry_finds_a_stored_copy() {
    let mut t = Thread::default();
    t.on_first_page(page(1..=3));
    t.push_pending(pending("e1", "lost answer"));
    let failed = t
        .fail(
            "e1",
            Error::new(chatwoot_inbox_sdk::ErrorCode::Timeout, "timed out"),
        )
        .unwrap();
    assert_eq!(failed.status, Some(MessageStatus::Failed));
    assert_eq!(
        t.pending("e1")
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .code
            .as_str(),
        "timeout"
    );
    // The server did store it: the newest page shows an incoming message with that text.
    let stored = from(
        json!({"id": 4, "content": "lost answer", "message_type": 0, "created_at": 1_700_000_010}),
    );
    let mut newest = page(1..=3);
    newest.push(stored);
    assert_eq!(t.find_stored("e1", &newest).unwrap().id, 4);
    // Someone else's message with other text is not taken for it.
    assert!(t.find_stored("e1", &page(1..=3)).is_none());
    assert_eq!(t.resend("e1").unwrap().status, Some(MessageStatus::Sending));
}

#[test]
fn a_catch_up_that_brings_a_failed_sends_stored_copy_confirms_it() {
    let mut t = Thread::default();
    t.on_first_page(page(1..=3));
    t.mark_synced();
    t.push_pending(pending("e1", "answer lost"));
    t.push_pending(pending("e2", "still sending"));
    let timeout = Error::new(chatwoot_inbox_sdk::ErrorCode::Timeout, "timed out");
    t.fail("e1", timeout);
    t.unsync();
    // Back online: the newest page holds both texts (e2's request is still in flight).
    let stored = |id: i64, content: &str| {
        from(json!({"id": id, "content": content, "message_type": 0, "created_at": 1_700_000_005}))
    };
    let mut newest = page(1..=3);
    newest.push(stored(4, "answer lost"));
    newest.push(stored(5, "still sending"));
    let changes = t.on_catch_up(vec![newest]);
    let sent: Vec<(&str, i64)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Sent { echo_id, message } => Some((echo_id.as_str(), message.id)),
            _ => None,
        })
        .collect();
    assert_eq!(
        sent,
        vec![("e1", 4)],
        "the failed send is confirmed by its stored copy"
    );
    assert_eq!(
        created(&changes),
        vec![5],
        "a send in flight is not guessed at: its answer will say"
    );
    assert!(t.pending("e1").is_none(), "nothing left to retry");
    assert_eq!(t.get(4).unwrap().echo_id.as_deref(), Some("e1"));
    assert!(t.pending("e2").is_some());
    // The first page of a thread adopts the same way.
    let mut fresh = Thread::default();
    fresh.push_pending(pending("e3", "answer lost"));
    fresh.fail(
        "e3",
        Error::new(chatwoot_inbox_sdk::ErrorCode::Network, "offline"),
    );
    let changes = fresh.on_first_page(vec![stored(9, "answer lost")]);
    assert!(matches!(&changes[..], [Change::Sent { echo_id, .. }] if echo_id == "e3"));
}

#[test]
fn a_page_that_brings_a_sends_copy_before_its_answer_leaves_one_message_with_the_echo_id() {
    let copy = || {
        from(json!({"id": 4, "content": "raced", "message_type": 0, "created_at": 1_700_000_005}))
    };
    // The HTTP answer comes after the page.
    let mut t = Thread::default();
    t.push_pending(pending("e1", "raced"));
    t.on_first_page(vec![copy()]);
    match t.on_sent("e1", copy()).unwrap() {
        Change::Sent { message, .. } => {
            assert_eq!(message.echo_id.as_deref(), Some("e1"));
            assert_eq!(message.status, Some(MessageStatus::Sent));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(ids(&t), vec![4], "one message, the send's");
    assert_eq!(t.get(4).unwrap().echo_id.as_deref(), Some("e1"));
    // The HTTP answer is lost instead: the page's copy confirms the send.
    let mut t = Thread::default();
    t.push_pending(pending("e2", "raced"));
    t.on_first_page(vec![copy()]);
    assert!(matches!(t.claim_held("e2"), Some(Change::Sent { echo_id, .. }) if echo_id == "e2"));
    assert_eq!(ids(&t), vec![4]);
    assert!(t.claim_held("e2").is_none(), "nothing left to claim");
}

#[test]
fn a_message_whose_broadcast_never_came_is_news_even_below_the_watermark() {
    let mut t = Thread::default();
    t.on_first_page(page(1..=5));
    t.mark_synced();
    // 7 arrives before 6 (broadcasts can overtake), then the socket drops.
    assert!(matches!(t.on_created(msg(7)), Some(Change::Created(_))));
    t.unsync();
    let activity = from(
        json!({"id": 8, "content": "Resolved by Ana", "message_type": 2, "created_at": 1_700_000_008}),
    );
    let mut newest = page(1..=7);
    newest.push(activity);
    let changes = t.on_catch_up(vec![newest]);
    assert_eq!(
        created(&changes),
        vec![6],
        "6 was missed; 8 is an activity line, history only"
    );
    assert_eq!(ids(&t), vec![1, 2, 3, 4, 5, 6, 7, 8]);
    // An update for a message never seen, inside the complete history: news too.
    assert!(matches!(t.on_updated(msg(9)), Some(Change::Created(_))));
    // In a thread never read, an update of an unknown message is only an update.
    let mut unread = Thread::default();
    assert!(matches!(
        unread.on_updated(msg(3)),
        Some(Change::Updated(_))
    ));
}

#[test]
fn retry_also_finds_a_stored_copy_the_thread_holds_without_an_echo_id() {
    let mut t = Thread::default();
    t.on_first_page(page(1..=3));
    t.push_pending(pending("e1", "held already"));
    t.fail(
        "e1",
        Error::new(chatwoot_inbox_sdk::ErrorCode::Timeout, "timed out"),
    );
    // Held from a page read while the send was still sending (not adopted then).
    let copy = from(
        json!({"id": 4, "content": "held already", "message_type": 0, "created_at": 1_700_000_005}),
    );
    t.on_older_page(vec![copy.clone()]);
    assert_eq!(t.find_stored("e1", &[copy]).map(|m| m.id), Some(4));
}

#[test]
fn catch_up_pages_back_to_the_watermark_and_reports_each_missed_message_once() {
    let mut t = Thread::default();
    t.on_first_page(page(1..=20));
    assert!(!t.at_start());
    t.on_catch_up(vec![]); // synced
    t.unsync();
    // While disconnected: agents wrote 21..=64, and our own send got id 65 by HTTP.
    t.push_pending(pending("e1", "mine"));
    t.on_sent(
        "e1",
        from(json!({"id": 65, "content": "mine", "message_type": 0})),
    );
    let newest = page(46..=65);
    assert!(t.needs_more(&newest), "65 is known, but 46 > watermark 20");
    let second = page(26..=45);
    assert!(t.needs_more(&second));
    let third = page(6..=25);
    assert!(!t.needs_more(&third), "overlaps the watermark");
    let changes = t.on_catch_up(vec![newest, second, third]);
    let got = created(&changes);
    assert_eq!(got, (21..=64).collect::<Vec<_>>());
    assert!(t.synced());
    assert_eq!(t.len(), 65);
    // A second catch-up right after finds nothing new.
    t.unsync();
    let again = t.on_catch_up(vec![page(46..=65)]);
    assert!(created(&again).is_empty());
}

#[test]
fn socket_messages_extend_the_watermark_only_when_synced() {
    let mut t = Thread::default();
    t.on_first_page(page(1..=20));
    t.unsync();
    t.on_created(msg(30)); // arrives before the catch-up: 21..29 still unknown
    let newest = page(11..=30);
    let changes = t.on_catch_up(vec![newest]);
    assert_eq!(created(&changes), (21..=29).collect::<Vec<_>>());
    t.on_created(msg(31));
    assert!(!t.needs_more(&page(12..=31)));
}

#[test]
fn older_pages_and_updates_outside_the_window() {
    let mut t = Thread::default();
    t.on_first_page(page(41..=60));
    assert_eq!(t.oldest(), Some(41));
    // An update of message 5 (not read yet) is reported but not stored, so the gap stays.
    assert!(matches!(t.on_updated(msg(5)), Some(Change::Updated(_))));
    assert_eq!(t.oldest(), Some(41));
    assert_eq!(t.on_older_page(page(21..=40)), 20);
    assert_eq!(t.on_older_page(page(1..=20)), 20);
    assert!(!t.at_start());
    assert_eq!(t.on_older_page(vec![]), 0);
    assert!(t.at_start());
    assert_eq!(ids(&t), (1..=60).collect::<Vec<_>>());
}

#[test]
fn socket_events_are_filtered_to_this_contact_and_inbox() {
    let mut core = Core::new(SOURCE);
    core.on_conversation(conv(conversation(3, "open")), false, true);
    assert_eq!(core.inbox_id(), Some(7));
    assert!(core.on_push(
        &push("message.created", ws_message(100, 3, SOURCE, json!({}))),
        0
    ));
    // Another inbox of a verified contact: not ours.
    let other_inbox = ws_message(101, 9, "other", json!({"inbox_id": 8}));
    assert!(!core.on_push(&push("message.created", other_inbox), 0));
    // Another session of the same (verified) contact in this inbox: ours.
    assert!(core.on_push(
        &push("message.created", ws_message(102, 4, "other", json!({}))),
        0
    ));
    // Private notes and activity messages never show.
    assert!(!core.on_push(
        &push(
            "message.created",
            ws_message(103, 3, SOURCE, json!({"private": true}))
        ),
        0
    ));
    assert!(!core.on_push(
        &push(
            "message.created",
            ws_message(104, 3, SOURCE, json!({"message_type": 2}))
        ),
        0
    ));
    let events = core.take_events();
    assert_eq!(names(&events), vec!["message.created", "message.created"]);
    let v = event_json(&events[0]);
    assert_eq!(v["type"], "message.created");
    assert_eq!(v["conversationId"], 3);
    assert_eq!(v["message"]["id"], 100);
}

#[test]
fn conversation_events_report_status_changes_once() {
    let mut core = Core::new(SOURCE);
    core.on_conversation(conv(conversation(3, "open")), false, true);
    core.take_events();
    core.on_push(
        &push("conversation.status_changed", conversation(3, "resolved")),
        0,
    );
    core.on_push(
        &push("conversation.status_changed", conversation(3, "resolved")),
        0,
    );
    core.on_push(
        &push("conversation.updated", conversation(3, "resolved")),
        0,
    );
    core.on_push(&push("conversation.created", conversation(5, "open")), 0);
    core.on_push(&push("conversation.created", conversation(5, "open")), 0);
    let events = core.take_events();
    assert_eq!(
        names(&events),
        vec![
            "conversation.status_changed",
            "conversation.updated",
            "conversation.created"
        ]
    );
    // REST answers (resolve) report a change the socket has not yet told.
    core.on_conversation(conv(conversation(5, "resolved")), false, true);
    assert_eq!(
        names(&core.take_events()),
        vec!["conversation.status_changed", "conversation.updated"]
    );
}

#[test]
fn typing_in_ignores_private_and_expires() {
    let mut core = Core::new(SOURCE);
    core.on_conversation(conv(conversation(3, "open")), false, true);
    core.take_events();
    let data = |private: bool| json!({"conversation": conversation(3, "open"), "user": {"id": 1, "name": "Ana", "type": "user"}, "is_private": private});
    assert!(!core.on_push(&push("conversation.typing_on", data(true)), 0));
    assert!(core.on_push(&push("conversation.typing_on", data(false)), 1_000));
    assert_eq!(core.deadline(), Some(31_000));
    core.tick(30_999);
    core.tick(31_000);
    let events = core.take_events();
    let v: Vec<Value> = events.iter().map(event_json).collect();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0]["typing"], true);
    assert_eq!(v[0]["user"]["name"], "Ana");
    assert_eq!(v[1]["typing"], false);
    // An off for nobody typing is not news.
    core.on_push(&push("conversation.typing_off", data(false)), 40_000);
    assert!(core.take_events().is_empty());
}

#[test]
fn presence_is_a_map_of_agents() {
    let mut core = Core::new(SOURCE);
    core.on_push(
        &push(
            "presence.update",
            json!({"account_id": 1, "users": {"1": "online", "7": "busy"}}),
        ),
        0,
    );
    let v = event_json(&core.take_events()[0]);
    assert_eq!(
        v,
        json!({"type": "presence", "agents": {"1": "online", "7": "busy"}})
    );
}

#[test]
fn typing_out_is_throttled_and_goes_off_when_idle() {
    let mut t = TypingOut::default();
    assert_eq!(t.key(0), Some(Toggle::On));
    assert_eq!(t.key(1_000), None);
    assert_eq!(t.key(2_999), None);
    assert_eq!(t.key(3_000), Some(Toggle::On));
    assert_eq!(t.deadline(), Some(8_000));
    assert_eq!(t.tick(7_999), None);
    assert_eq!(t.tick(8_000), Some(Toggle::Off));
    assert_eq!(t.stop(), None, "already off");
    t.key(9_000);
    assert_eq!(t.stop(), Some(Toggle::Off));
}

#[test]
fn storage_keys_separate_servers_inboxes_and_users() {
    use chatwoot_inbox_sdk::chat::storage_key;
    let a = storage_key("https://a.example", "inbox", None);
    assert_ne!(a, storage_key("https://b.example", "inbox", None));
    assert_ne!(a, storage_key("https://a.example", "inbox2", None));
    assert_ne!(a, storage_key("https://a.example", "inbox", Some("u1")));
    // No ambiguity from separators inside the parts.
    assert_ne!(
        storage_key("https://a.example", "x:y", None),
        storage_key("https://a.example:x", "y", None)
    );
}

/// A conversation payload that embeds messages `ids` (as the list does: all of them).
fn with_messages(id: i64, ids: std::ops::RangeInclusive<i64>) -> Conversation {
    let mut v = conversation(id, "open");
    let messages: Vec<Value> = ids
        .map(|m| json!({"id": m, "content": format!("m{m}"), "message_type": 1, "created_at": 1_700_000_000 + m, "conversation_id": id}))
        .collect();
    v["messages"] = Value::Array(messages);
    chatwoot_inbox_sdk::model::decode(&v.to_string()).unwrap()
}

fn created_ids(events: &[Event]) -> Vec<i64> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::MessageCreated { message, .. } => Some(message.id),
            _ => None,
        })
        .collect()
}

/// The bug of issue 14: a conversation whose thread was never read lost every message
/// of a drop. The re-list after the reconnect embeds all messages: each missed one is
/// reported once, in id order, before `synced`.
#[test]
fn a_conversation_never_read_is_caught_up_from_the_relist() {
    let mut core = Core::new(SOURCE);
    core.on_conversation(with_messages(3, 1..=2), false, true);
    assert!(
        !core.behind(),
        "listed while live: the socket brings what follows"
    );
    core.on_push(
        &push("message.created", ws_message(3, 3, SOURCE, json!({}))),
        0,
    );
    assert_eq!(created_ids(&core.take_events()), vec![3]);

    core.lost();
    assert!(
        core.behind(),
        "a drop leaves the unread conversation behind"
    );
    core.on_relist(with_messages(3, 1..=48), true);
    let events = core.take_events();
    assert_eq!(created_ids(&events), (4..=48).collect::<Vec<_>>());
    assert_eq!(names(&events).last(), Some(&"synced"));
    assert_eq!(
        event_json(events.last().unwrap())["recovered"],
        45,
        "synced counts what was recovered"
    );
    assert!(!core.behind());
    assert_eq!(
        core.thread_ref(3).unwrap().snapshot().count(),
        46,
        "the live one and the recovered ones are held, history before it is not"
    );

    // Listed again with nothing new: nothing is reported twice.
    core.on_relist(with_messages(3, 1..=48), true);
    assert!(created_ids(&core.take_events()).is_empty());
}

#[test]
fn a_conversation_listed_before_the_socket_was_live_is_caught_up_once_it_is() {
    let mut core = Core::new(SOURCE);
    core.on_conversation(with_messages(5, 1..=10), false, false);
    assert!(core.behind());
    // A drop while the list was being read again: caught up, but still behind.
    core.on_relist(with_messages(5, 1..=12), false);
    let events = core.take_events();
    assert_eq!(created_ids(&events), vec![11, 12]);
    assert!(core.behind(), "the socket dropped meanwhile");
    core.on_relist(with_messages(5, 1..=13), true);
    assert_eq!(created_ids(&core.take_events()), vec![13]);
    assert!(!core.behind());
}

#[test]
fn a_relist_during_a_gap_does_not_move_a_read_threads_watermark() {
    let mut core = Core::new(SOURCE);
    core.on_conversation(with_messages(7, 1..=5), false, true);
    let t = core.thread(7);
    t.on_first_page(page(1..=5));
    t.mark_synced();
    core.lost();
    // The list shows messages the page-by-page catch-up has not read yet: they stay
    // news for it.
    core.on_relist(with_messages(7, 1..=9), true);
    assert!(
        created_ids(&core.take_events()).is_empty(),
        "a read thread catches up through its pages"
    );
    let changes = core.thread(7).on_catch_up(vec![page(1..=9)]);
    assert_eq!(created(&changes), vec![6, 7, 8, 9]);
}

/// A broadcast overtaken by a later one, then lost in a drop, in a conversation never
/// read: the re-list reports it, although it is below the watermark.
#[test]
fn an_overtaken_broadcast_lost_in_a_drop_is_news_in_a_thread_never_read() {
    let mut core = Core::new(SOURCE);
    core.on_conversation(with_messages(3, 1..=2), false, true);
    // 4 arrives; its elder 3 was still on its way when the socket dropped.
    core.on_push(
        &push("message.created", ws_message(4, 3, SOURCE, json!({}))),
        0,
    );
    core.lost();
    core.take_events();
    core.on_relist(with_messages(3, 1..=4), true);
    assert_eq!(created_ids(&core.take_events()), vec![3]);
}
