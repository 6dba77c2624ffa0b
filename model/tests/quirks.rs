//! The tolerant rules at their edges, one helper at a time: scalars and ids, the
//! timestamp parser's bounds, the list helpers, which objects count as a model, and
//! when two messages show the same. (Written from `make mutants`: each test here kills
//! mutants the fixtures let live.)
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use chatwoot_inbox_model::lenient::{self, digits, Scalar};
use chatwoot_inbox_model::millis::{from_seconds_int, parse_iso, parse_text};
use chatwoot_inbox_model::{
    decode, AccountContact, AccountConversation, Agent, Attachment, Contact, CsatSurvey, Message,
    MessageStatus, MessageType, Model, Sender, Team, WorkingHours,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};

#[test]
fn scalars_of_every_json_kind() {
    let read = |text: &str| serde_json::from_str::<Scalar>(text).unwrap();
    assert_eq!(read("-5"), Scalar::Int(-5));
    assert_eq!(read("5"), Scalar::Int(5));
    assert_eq!(read("1.5"), Scalar::Float(1.5));
    assert_eq!(read("\"a\""), Scalar::Str("a".into()));
    assert_eq!(read("true"), Scalar::Bool(true));
    assert_eq!(read("[1]"), Scalar::Other);
    assert_eq!(read("{\"a\":1}"), Scalar::Other);
    // An owned string (as a `Value` hands it over).
    assert_eq!(
        serde_json::from_value::<Scalar>(json!("owned")).unwrap(),
        Scalar::Str("owned".into())
    );
}

#[test]
fn ids_are_whole_numbers_below_nine_quadrillion_or_strings_of_digits() {
    assert_eq!(
        Scalar::Int(8_999_999_999_999_999).id(),
        Some(8_999_999_999_999_999)
    );
    assert_eq!(Scalar::Int(9_000_000_000_000_000).id(), None);
    assert_eq!(Scalar::Int(-9_000_000_000_000_000).id(), None);
    assert_eq!(Scalar::Str(" 42 ".into()).id(), Some(42));
    assert_eq!(digits("-12"), Some(-12));
    assert_eq!(digits("123456789012345678"), Some(123_456_789_012_345_678));
    assert_eq!(digits("1234567890123456789"), None, "19 digits");
    assert_eq!(digits(""), None);
    assert_eq!(digits("-"), None);
    assert_eq!(digits("12a"), None);
    assert_eq!(digits("a12"), None);
}

#[test]
fn seconds_milliseconds_and_their_bounds() {
    assert_eq!(from_seconds_int(0), None, "never");
    assert_eq!(from_seconds_int(1), Some(1_000));
    assert_eq!(
        from_seconds_int(9_999_999_999_999),
        Some(9_999_999_999_999_000)
    );
    assert_eq!(from_seconds_int(10_000_000_000_000), None, "absurd");
    assert_eq!(parse_text("12.5"), Some(12_500));
    assert_eq!(parse_text("9999999999999"), Some(9_999_999_999_999_000));
    assert_eq!(parse_text("10000000000000"), None);
    assert_eq!(parse_text("12."), None, "no fraction digits");
    assert_eq!(parse_text(".5"), None, "no whole digits");
    assert_eq!(parse_text("1a.5"), None);
    assert_eq!(parse_text("1.5a"), None);
    assert_eq!(
        parse_text("1970-01-01T00:00:00Z"),
        None,
        "the epoch is never"
    );
    assert_eq!(parse_text("1970-01-01T00:00:01Z"), Some(1_000));
}

#[test]
fn iso_timestamps_at_their_edges() {
    let day = 86_400_000;
    assert_eq!(parse_iso("1970-01-02"), Some(day), "a bare date");
    assert_eq!(
        parse_iso("1970-01-01T23:59:60Z"),
        Some(day),
        "a leap second"
    );
    assert_eq!(
        parse_iso("1970-01-01 23:59:59"),
        Some(day - 1_000),
        "no zone: UTC"
    );
    assert_eq!(parse_iso("1970-01-01t00:00:01z"), Some(1_000));
    for bad in [
        "1970-13-01",
        "1970-00-01",
        "1970-01-32",
        "1970-01-00",
        "1970/01/01",
        "1970-01/01",
        "1970/01-01",
        "1970-01-01X00:00:00",
        "1970-01-01T00-00:00",
        "1970-01-01T00:00-00",
        "1970-01-01T24:00:00Z",
        "1970-01-01T23:60:00Z",
        "1970-01-01T23:59:61Z",
        "1970-01-01T00:00:00Zx",
        "1970-01-01T00:00:00+24:00",
        "1970-01-01T00:00:00+05:60",
        "1970-01-01T00:00:00+05:30x",
        "1970-01-01T00:00:00x",
    ] {
        assert_eq!(parse_iso(bad), None, "{bad}");
    }
    assert_eq!(parse_iso("1970-01-01T00:00:00.5Z"), Some(500));
    assert_eq!(parse_iso("1970-01-01T00:00:00.123456Z"), Some(123));
    assert_eq!(
        parse_iso("1970-01-02T05:30:00+05:30"),
        Some(day),
        "east of UTC"
    );
    assert_eq!(
        parse_iso("1970-01-01T22:30:00-0130"),
        Some(day),
        "west, no colon"
    );
    assert_eq!(
        parse_iso("1970-01-01T00:00:00+23:59"),
        Some(-(23 * 60 + 59) * 60_000)
    );
}

#[derive(Deserialize)]
struct Helpers {
    #[serde(default, deserialize_with = "lenient::pairs")]
    pairs: Option<Vec<(String, String)>>,
    #[serde(default, deserialize_with = "lenient::objects")]
    objects: Vec<Map<String, Value>>,
    #[serde(default, deserialize_with = "lenient::opt_known")]
    status: Option<MessageStatus>,
}

fn helpers(v: Value) -> Helpers {
    serde_json::from_value(v).unwrap()
}

#[test]
fn pairs_objects_and_optional_enums() {
    let h = helpers(json!({"pairs": {"a": "x", "b": 2, "c": [1], "d": null}}));
    assert_eq!(
        h.pairs,
        Some(vec![("a".into(), "x".into()), ("b".into(), "2".into())]),
        "text and numbers; the rest left out"
    );
    assert_eq!(helpers(json!({"pairs": {}})).pairs, Some(vec![]));
    assert_eq!(
        helpers(json!({"pairs": [["a", "x"]]})).pairs,
        None,
        "not an object"
    );
    assert_eq!(helpers(json!({"pairs": "a"})).pairs, None);
    assert_eq!(helpers(json!({"pairs": null})).pairs, None);

    let h = helpers(json!({"objects": [1, {"a": 1}, "x", {"b": [2]}, null]}));
    let kept: Vec<Value> = h.objects.into_iter().map(Value::Object).collect();
    assert_eq!(kept, [json!({"a": 1}), json!({"b": [2]})]);
    assert!(helpers(json!({"objects": {"a": 1}})).objects.is_empty());

    assert_eq!(helpers(json!({"status": null})).status, None);
    assert_eq!(helpers(json!({})).status, None);
    assert_eq!(
        helpers(json!({"status": "read"})).status,
        Some(MessageStatus::Read)
    );
    assert_eq!(
        helpers(json!({"status": "lost"})).status,
        Some(MessageStatus::Unknown)
    );
    assert_eq!(
        helpers(json!({"status": 3})).status,
        Some(MessageStatus::Unknown)
    );
}

/// `{}` is not a `T` (its id is missing), `{ id: 1 }` is.
fn needs_an_id<T: Model>(id: &str) {
    assert!(decode::<T>("{}").is_err(), "{{}} is not one");
    assert!(
        decode::<T>(&format!("{{\"{id}\":1}}")).is_ok(),
        "with {id} it is"
    );
    assert!(
        decode::<T>(&format!("{{\"{id}\":\"x\"}}")).is_err(),
        "a non-numeric {id}"
    );
}

#[test]
fn an_object_is_a_model_when_it_has_its_id() {
    needs_an_id::<Contact>("id");
    needs_an_id::<CsatSurvey>("id");
    needs_an_id::<Attachment>("id");
    needs_an_id::<Sender>("id");
    needs_an_id::<AccountContact>("id");
    needs_an_id::<Agent>("id");
    needs_an_id::<Team>("id");
    needs_an_id::<AccountConversation>("id");
    needs_an_id::<Message>("id");
    needs_an_id::<WorkingHours>("day_of_week");
}

#[test]
fn an_agent_without_an_avatar_shows_its_thumbnail() {
    let a: Agent = decode(r#"{"id":1,"thumbnail":"https://x.example/t.png"}"#).unwrap();
    assert_eq!(a.avatar_url.as_deref(), Some("https://x.example/t.png"));
    let b: Agent = decode(
        r#"{"id":1,"avatar_url":"https://x.example/a.png","thumbnail":"https://x.example/t.png"}"#,
    )
    .unwrap();
    assert_eq!(b.avatar_url.as_deref(), Some("https://x.example/a.png"));
    assert!(!serde_json::to_string(&a).unwrap().contains("thumbnail"));
}

#[test]
fn message_types_by_number_or_name() {
    for (i, name) in MessageType::NAMES.iter().enumerate() {
        let by_number: Message = decode(&format!(r#"{{"id":1,"message_type":{i}}}"#)).unwrap();
        let by_name: Message = decode(&format!(r#"{{"id":1,"message_type":"{name}"}}"#)).unwrap();
        assert_eq!(by_number.message_type, by_name.message_type);
        assert_eq!(by_name.message_type.as_str(), *name);
    }
    let odd: Message = decode(r#"{"id":1,"message_type":"sideways"}"#).unwrap();
    assert_eq!(odd.message_type, MessageType::Unknown);
    assert_eq!(MessageType::Unknown.as_str(), "unknown");
}

#[test]
fn two_messages_show_the_same_unless_a_shown_field_differs() {
    let base = json!({"id": 1, "content": "hi", "message_type": 1, "content_type": "text",
        "content_attributes": {"a": 1}, "created_at": 1_700_000_000, "conversation_id": 9,
        "attachments": [{"id": 5, "file_type": "image", "data_url": "https://x.example/a.png"}],
        "sender": {"id": 2, "name": "Agent"}, "status": "sent"});
    let m: Message = decode(&base.to_string()).unwrap();
    assert!(m.same_body(&m.clone()));
    let with = |field: &str, value: Value| {
        let mut v = base.clone();
        v[field] = value;
        decode::<Message>(&v.to_string()).unwrap()
    };
    assert!(m.same_body(&with("status", json!("read"))), "status aside");
    assert!(m.same_body(&with("echo_id", json!("e1"))), "echo id aside");
    for (field, value) in [
        ("id", json!(2)),
        ("content", json!("hello")),
        ("message_type", json!(0)),
        ("content_type", json!("input_select")),
        ("content_attributes", json!({"a": 2})),
        ("created_at", json!(1_700_000_001)),
        ("conversation_id", json!(10)),
        ("attachments", json!([])),
        ("sender", json!({"id": 3, "name": "Other"})),
    ] {
        assert!(!m.same_body(&with(field, value)), "{field} differs");
    }
}
