//! Contacts and the sessions (contact inboxes) widgets hold: creating, identifying,
//! merging.

use super::{
    bump, deep_merge, is_blank, present, valid_email, valid_phone, ContactAttrs, Event, Model,
};
use crate::model::{Actor, Contact, FieldError, Json, Session};
use crate::{names, time};

impl Model {
    fn contact_by_email(&self, email: &str) -> Option<u64> {
        let wanted = email.to_lowercase();
        self.contacts
            .values()
            .find(|c| c.email.as_deref().map(str::to_lowercase).as_deref() == Some(&wanted))
            .map(|c| c.id)
    }

    fn contact_by_phone(&self, phone: &str) -> Option<u64> {
        self.contacts
            .values()
            .find(|c| c.phone_number.as_deref() == Some(phone))
            .map(|c| c.id)
    }

    fn contact_by_identifier(&self, identifier: &str) -> Option<u64> {
        self.contacts
            .values()
            .find(|c| c.identifier.as_deref() == Some(identifier))
            .map(|c| c.id)
    }

    /// The contact validations a request can trip, in the model's declaration order.
    fn validate_contact_fields(email: Option<&str>, phone: Option<&str>) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(e) = email.filter(|e| !is_blank(e)) {
            if !valid_email(e) {
                errors.push(FieldError::new("email", "Email Invalid email"));
            }
        }
        if let Some(p) = phone.filter(|p| !is_blank(p)) {
            if !valid_phone(p) {
                errors.push(FieldError::new(
                    "phone_number",
                    "Phone number should be in e164 format",
                ));
            }
        }
        errors
    }

    /// `Contacts::SyncAttributes#update_contact_type`.
    fn sync_contact_type(c: &mut Contact) {
        if c.contact_type == "visitor" && (c.email.is_some() || c.phone_number.is_some()) {
            c.contact_type = "lead";
        }
    }

    /// `ContactInboxWithContactBuilder`: return the existing session for `source_id`
    /// unchanged, or reuse a contact (identifier, then email, then phone) or create
    /// one, and open a new unverified session for it.
    pub fn create_session(
        &mut self,
        inbox_id: u64,
        source_id: &str,
        attrs: ContactAttrs,
    ) -> Result<u64, Vec<FieldError>> {
        if !is_blank(source_id) {
            if let Some(s) = self.session_by_source(inbox_id, source_id) {
                return Ok(s.id);
            }
        }
        let found = present(&attrs.identifier)
            .and_then(|i| self.contact_by_identifier(i))
            .or_else(|| present(&attrs.email).and_then(|e| self.contact_by_email(e)))
            .or_else(|| present(&attrs.phone_number).and_then(|p| self.contact_by_phone(p)));
        let now = time::now_ms();
        let new_contact = match found {
            Some(_) => None,
            None => {
                let errors = Self::validate_contact_fields(
                    attrs.email.as_deref(),
                    attrs.phone_number.as_deref(),
                );
                if !errors.is_empty() {
                    return Err(errors);
                }
                let mut c = Contact {
                    id: 0,
                    // `name || Haikunator.haikunate(1000)`: only a missing name is replaced.
                    name: Some(attrs.name.unwrap_or_else(names::haiku_name)),
                    email: present(&attrs.email).map(str::to_lowercase),
                    phone_number: present(&attrs.phone_number).map(str::to_owned),
                    identifier: present(&attrs.identifier).map(str::to_owned),
                    additional_attributes: Json::new(),
                    custom_attributes: attrs.custom_attributes.unwrap_or_default(),
                    contact_type: "visitor",
                    blocked: false,
                    created_at: now,
                    updated_at: now,
                    last_activity_at: None,
                };
                Self::sync_contact_type(&mut c);
                Some(c)
            }
        };
        if is_blank(source_id) {
            // ContactInbox `validates :source_id, presence: true`.
            return Err(vec![FieldError::new("source_id", "Source can't be blank")]);
        }
        let contact_id = match (found, new_contact) {
            (Some(id), _) => id,
            (None, Some(mut c)) => {
                c.id = bump(&mut self.ids.contact);
                let id = c.id;
                self.contacts.insert(id, c);
                id
            }
            (None, None) => return Err(Vec::new()),
        };
        Ok(self.insert_session(contact_id, inbox_id, source_id.to_owned()))
    }

    /// A new contact inbox with its own pubsub token.
    pub(super) fn insert_session(
        &mut self,
        contact_id: u64,
        inbox_id: u64,
        source_id: String,
    ) -> u64 {
        let now = time::now_ms();
        let id = bump(&mut self.ids.session);
        self.sessions.insert(
            id,
            Session {
                id,
                contact_id,
                inbox_id,
                source_id,
                pubsub_token: names::secure_token(),
                hmac_verified: false,
                created_at: now,
                updated_at: now,
            },
        );
        id
    }

    /// A valid `identifier_hash` on show or update.
    pub fn mark_verified(&mut self, session_id: u64) {
        if let Some(s) = self.sessions.get_mut(&session_id) {
            if !s.hmac_verified {
                s.hmac_verified = true;
                s.updated_at = time::now_ms();
            }
        }
    }

    /// `ContactIdentifyAction` without `identifier`: merge into the contact owning the
    /// sent email, then the one owning the sent phone number, then apply the non-blank
    /// values and deep-merge `custom_attributes`. Validation happens first, since
    /// Rails runs all of it in one transaction that a failed save rolls back.
    pub fn identify_contact(
        &mut self,
        session_id: u64,
        attrs: ContactAttrs,
    ) -> Result<u64, Vec<FieldError>> {
        let Some(session) = self.sessions.get(&session_id) else {
            return Err(Vec::new());
        };
        let mut contact_id = session.contact_id;
        let email = present(&attrs.email).map(str::to_lowercase);
        let phone = present(&attrs.phone_number).map(str::to_owned);
        let errors = Self::validate_contact_fields(email.as_deref(), phone.as_deref());
        if !errors.is_empty() {
            return Err(errors);
        }
        if let Some(owner) = email.as_deref().and_then(|e| self.contact_by_email(e)) {
            if owner != contact_id {
                self.merge_contacts(owner, contact_id);
                contact_id = owner;
            }
        }
        if let Some(owner) = phone.as_deref().and_then(|p| self.contact_by_phone(p)) {
            if owner != contact_id {
                self.merge_contacts(owner, contact_id);
                contact_id = owner;
            }
        }
        let Some(c) = self.contacts.get_mut(&contact_id) else {
            return Err(Vec::new());
        };
        if let Some(name) = present(&attrs.name) {
            c.name = Some(name.to_owned());
        }
        if let Some(e) = email {
            c.email = Some(e);
        }
        if let Some(p) = phone {
            c.phone_number = Some(p);
        }
        if let Some(ca) = attrs.custom_attributes.filter(|m| !m.is_empty()) {
            deep_merge(&mut c.custom_attributes, &ca);
        }
        Self::sync_contact_type(c);
        c.updated_at = time::now_ms();
        self.emit(Event::ContactUpdated { contact_id });
        Ok(contact_id)
    }

    /// `ContactMergeAction`: everything of `mergee` moves to `base`; base's non-blank
    /// attributes win, mergee's fill the gaps; the mergee is deleted. Sessions keep
    /// their source_id and pubsub_token.
    fn merge_contacts(&mut self, base_id: u64, mergee_id: u64) {
        let Some(mergee) = self.contacts.remove(&mergee_id) else {
            return;
        };
        for s in self.sessions.values_mut() {
            if s.contact_id == mergee_id {
                s.contact_id = base_id;
            }
        }
        for c in self.conversations.values_mut() {
            if c.contact_id == mergee_id {
                c.contact_id = base_id;
            }
        }
        for m in self.messages.values_mut() {
            if m.sender == Some(Actor::Contact(mergee_id)) {
                m.sender = Some(Actor::Contact(base_id));
            }
        }
        for r in self.csat.values_mut() {
            if r.contact_id == mergee_id {
                r.contact_id = base_id;
            }
        }
        if let Some(base) = self.contacts.get_mut(&base_id) {
            fn fill(slot: &mut Option<String>, from: &Option<String>) {
                if present(slot).is_none() {
                    if let Some(v) = present(from) {
                        *slot = Some(v.to_owned());
                    }
                }
            }
            fill(&mut base.identifier, &mergee.identifier);
            fill(&mut base.name, &mergee.name);
            fill(&mut base.email, &mergee.email);
            fill(&mut base.phone_number, &mergee.phone_number);
            for (slot, from) in [
                (&mut base.custom_attributes, &mergee.custom_attributes),
                (
                    &mut base.additional_attributes,
                    &mergee.additional_attributes,
                ),
            ] {
                let mut merged = from.clone();
                deep_merge(&mut merged, slot);
                *slot = merged;
            }
            Self::sync_contact_type(base);
            base.updated_at = time::now_ms();
        }
        self.emit(Event::ContactMerged { base_id, mergee_id });
    }
}
