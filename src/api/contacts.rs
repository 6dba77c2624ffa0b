//! Contacts: create (or resume), show, update (reference §3.2–3.4, §5).

use super::input::Input;
use super::{path, Method, Request};
use crate::error::Error;
use serde_json::{Map, Value};

/// What a caller may send about a contact. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactInput {
    /// Resume this session id if it exists (create only).
    pub source_id: Option<String>,
    /// Your system's id for the person.
    pub identifier: Option<String>,
    /// HMAC of `identifier`, computed on your server.
    pub identifier_hash: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Phone number, E.164.
    pub phone_number: Option<String>,
    /// Avatar image URL.
    pub avatar_url: Option<String>,
    /// Custom attributes (merged into the existing ones on update).
    pub custom_attributes: Option<Map<String, Value>>,
}

impl ContactInput {
    /// Reads the caller's camelCase object; other keys are ignored (a host app's user
    /// object may carry more).
    pub fn read(i: Input<'_>) -> Result<ContactInput, Error> {
        Ok(ContactInput {
            source_id: i.string("sourceId")?,
            identifier: i.string("identifier")?,
            identifier_hash: i.string("identifierHash")?,
            name: i.string("name")?,
            email: i.string("email")?,
            phone_number: i.string("phoneNumber")?,
            avatar_url: i.string("avatarUrl")?,
            custom_attributes: i.object("customAttributes")?,
        })
    }
}

/// Identity proof for GET contact.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identity {
    /// Your system's id for the person.
    pub identifier: Option<String>,
    /// HMAC of `identifier`.
    pub identifier_hash: Option<String>,
}

impl Identity {
    /// Reads `{ identifier?, identifierHash? }`.
    pub fn read(i: Input<'_>) -> Result<Identity, Error> {
        Ok(Identity {
            identifier: i.string("identifier")?,
            identifier_hash: i.string("identifierHash")?,
        })
    }
}

fn body(input: ContactInput, with_source_id: bool) -> Result<Value, Error> {
    if let Some(phone) = input.phone_number.as_deref() {
        let digits = phone.strip_prefix('+').unwrap_or("");
        let e164 = digits.len() >= 2
            && digits.len() <= 15
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        if !e164 {
            return Err(Error::invalid_argument(
                "phoneNumber must be in E.164 form, such as +4930123456",
            ));
        }
    }
    if input.identifier_hash.is_some() && input.identifier.is_none() {
        return Err(Error::invalid_argument(
            "identifierHash needs the identifier it was computed from",
        ));
    }
    let source_id = if with_source_id {
        input.source_id
    } else {
        None
    };
    let strings = [
        ("source_id", source_id),
        ("identifier", input.identifier),
        ("identifier_hash", input.identifier_hash),
        ("name", input.name),
        ("email", input.email),
        ("phone_number", input.phone_number),
        ("avatar_url", input.avatar_url),
    ];
    // Inserted one by one: collecting into the map would sort the pairs first, and
    // bring a sort of its own into the module.
    let mut o = Map::new();
    for (key, value) in strings {
        if let Some(value) = value {
            o.insert(key.to_owned(), Value::String(value));
        }
    }
    if let Some(raw) = input.custom_attributes {
        o.insert("custom_attributes".to_owned(), Value::Object(raw));
    }
    Ok(Value::Object(o))
}

/// `POST /contacts`; answers a [`ContactSession`](crate::model::ContactSession).
/// Not idempotent: never retried blindly.
pub fn create(inbox: &str, input: ContactInput) -> Result<Request, Error> {
    let mut r = Request::new(
        Method::Post,
        [path::inbox(inbox)?.as_str(), "/contacts"].concat(),
    )
    .json(body(input, true)?);
    r.contacts_route = true;
    Ok(r)
}

/// `GET /contacts/{sourceId}[?identifier&identifier_hash]`; answers a `ContactSession`.
/// With a valid hash this marks the session verified.
pub fn get(inbox: &str, source_id: &str, identity: Identity) -> Result<Request, Error> {
    let id = identity.identifier.unwrap_or_default();
    let hash = identity.identifier_hash.unwrap_or_default();
    if !hash.is_empty() && id.is_empty() {
        return Err(Error::invalid_argument(
            "identifierHash needs the identifier it was computed from",
        ));
    }
    let p = path::with_query(
        path::contact(inbox, source_id)?,
        &[("identifier", &id), ("identifier_hash", &hash)],
    );
    let mut r = Request::new(Method::Get, p);
    r.contacts_route = true;
    Ok(r)
}

/// `PATCH /contacts/{sourceId}`; answers a [`Contact`](crate::model::Contact) (either
/// server shape). Idempotent: blank values are ignored and attributes merged.
pub fn update(inbox: &str, source_id: &str, input: ContactInput) -> Result<Request, Error> {
    let mut r =
        Request::new(Method::Patch, path::contact(inbox, source_id)?).json(body(input, false)?);
    r.contacts_route = true;
    r.idempotent = true;
    Ok(r)
}
