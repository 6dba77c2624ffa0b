//! The route table. Everything not listed answers the production 404 body, also for
//! a known path with another method (Rails has no 405: no route is no route).

use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use axum::Router;

use crate::account;
use crate::app::AppRef;
use crate::control;
use crate::public::{contacts, conversations, csat, inbox, messages};
use crate::reply::status_error;
use crate::storage;

const BASE: &str = "/public/api/v1/inboxes/{inbox}";
const CONTACT: &str = "/public/api/v1/inboxes/{inbox}/contacts/{source_id}";
const CONVERSATION: &str =
    "/public/api/v1/inboxes/{inbox}/contacts/{source_id}/conversations/{display_id}";

pub fn router(app: AppRef) -> Router {
    Router::new()
        .route(BASE, get(inbox::show))
        .route(&format!("{BASE}/contacts"), post(contacts::create))
        .route(
            CONTACT,
            get(contacts::show)
                .patch(contacts::update)
                .put(contacts::update),
        )
        .route(
            &format!("{CONTACT}/conversations"),
            get(conversations::index).post(conversations::create),
        )
        .route(CONVERSATION, get(conversations::show))
        .route(
            &format!("{CONVERSATION}/toggle_status"),
            post(conversations::toggle_status),
        )
        .route(
            &format!("{CONVERSATION}/toggle_typing"),
            post(conversations::toggle_typing),
        )
        .route(
            &format!("{CONVERSATION}/update_last_seen"),
            post(conversations::update_last_seen),
        )
        .route(
            &format!("{CONVERSATION}/messages"),
            get(messages::index).post(messages::create),
        )
        .route(
            &format!("{CONVERSATION}/messages/{{message_id}}"),
            patch(messages::update).put(messages::update),
        )
        .route(
            "/public/api/v1/csat_survey/{uuid}",
            get(csat::show).put(csat::update).patch(csat::update),
        )
        .route(
            "/rails/active_storage/blobs/redirect/{id}/{filename}",
            get(storage::redirect),
        )
        .route(
            "/rails/active_storage/blobs/proxy/{id}/{filename}",
            get(storage::proxy),
        )
        .route(
            "/api/v1/accounts/{account_id}/contacts/{contact_id}/conversations",
            get(account::contact_conversations),
        )
        .route(
            "/api/v1/accounts/{account_id}/conversations",
            post(account::create),
        )
        .route(
            "/api/v1/accounts/{account_id}/conversations/{display_id}",
            get(account::show),
        )
        .merge(control::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .with_state(app)
}

async fn not_found() -> axum::response::Response {
    status_error(StatusCode::NOT_FOUND)
}
