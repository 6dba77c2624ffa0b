//! CSAT survey by conversation uuid (reference §3.14).

use super::{path, Method, Request};
use crate::error::Error;
use crate::wire::out::Out;

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
    let mut body = Out::new();
    body.open()
        .key("message")
        .open()
        .key("submitted_values")
        .open()
        .key("csat_survey_response")
        .open()
        .key("rating")
        .int(rating);
    if let Some(text) = feedback_message {
        body.key("feedback_message").str(&text);
    }
    body.close().close().close().close();
    let mut r = Request::new(Method::Put, survey_path(uuid)?).json(body);
    r.idempotent = true;
    Ok(r)
}
