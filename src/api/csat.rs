//! CSAT survey by conversation uuid (reference §3.14).

use super::{path, Method, Request};
use crate::error::Error;
use serde_json::{json, Value};

fn survey_path(uuid: &str) -> Result<String, Error> {
    Ok([
        "/public/api/v1/csat_survey/",
        &path::segment("conversationUuid", uuid)?,
    ]
    .concat())
}

/// `GET /csat_survey/{uuid}`; answers a `CsatSurvey`.
pub fn get(uuid: &str) -> Result<Request, Error> {
    Ok(Request::new(Method::Get, survey_path(uuid)?))
}

/// `PUT /csat_survey/{uuid}` with the `message` wrapper this route needs.
pub fn submit(uuid: &str, rating: f64, feedback_message: Option<String>) -> Result<Request, Error> {
    let rating = path::id("rating", rating)
        .ok()
        .filter(|r| (1..=5).contains(r));
    let rating = rating
        .ok_or_else(|| Error::invalid_argument("rating must be a whole number from 1 to 5"))?;
    let mut response = json!({ "rating": rating });
    if let (Some(text), Value::Object(o)) = (feedback_message, &mut response) {
        o.insert("feedback_message".to_owned(), Value::String(text));
    }
    let body = json!({ "message": { "submitted_values": { "csat_survey_response": response } } });
    let mut r = Request::new(Method::Put, survey_path(uuid)?).json(body);
    r.idempotent = true;
    Ok(r)
}
