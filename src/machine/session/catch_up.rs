//! Catch-up after the socket (re)subscribed: the re-list (which catches up the
//! conversations never read), and each read thread page by page back to what it knew.

use super::*;

impl Session {
    /// Reads the conversation list again (after the socket subscribed).
    pub(super) fn relist(&mut self, cx: &mut Cx<'_>, failures: u32) {
        self.relist_retry = None;
        let req = api::conversations::list(&self.inbox, &self.source());
        let step = Step::Relist {
            epoch: self.epoch,
            lost: self.lost_count,
            failures,
        };
        let _ = self.request(cx, req, step);
    }

    /// Catches a thread up after the socket (re)subscribed: the newest page, then
    /// `before` pages until the gap is closed.
    pub(super) fn catch_up(&mut self, cx: &mut Cx<'_>, conv: i64, failures: u32) {
        if self.catching_up.contains(&conv) {
            if !self.catch_up_again.contains(&conv) {
                self.catch_up_again.push(conv);
            }
            return;
        }
        self.catching_up.push(conv);
        let c = CatchUp {
            conv,
            epoch: self.epoch,
            lost: self.lost_count,
            live: self.live(),
            pages: Vec::new(),
            failures,
        };
        self.catch_up_page(cx, c, None);
    }

    pub(super) fn catch_up_page(&mut self, cx: &mut Cx<'_>, c: CatchUp, before: Option<i64>) {
        let req = api::messages::list(
            &self.inbox,
            &self.source(),
            c.conv as f64,
            before.map(|b| b as f64),
        );
        match req {
            Ok(req) => {
                cx.send(req, None, Then::step(Step::CatchUp(c)));
            }
            Err(e) => {
                self.catching_up.retain(|x| *x != c.conv);
                self.core.emit(Event::Error { error: Some(e) });
            }
        }
    }

    pub(super) fn on_catch_up_page(
        &mut self,
        cx: &mut Cx<'_>,
        mut c: CatchUp,
        result: Result<String, Error>,
        now: u64,
    ) {
        let conv = c.conv;
        if self.closed || c.epoch != self.epoch {
            // Another contact now (identify, reset) or closed: its pages are not ours.
            self.catching_up.retain(|x| *x != conv);
            return;
        }
        let page = match result.and_then(|t| read_page(&t)) {
            Ok(page) => page,
            Err(e) => {
                self.catching_up.retain(|x| *x != conv);
                self.core.emit(Event::Error { error: Some(e) });
                // Keep trying: a gap must not stay open.
                let failures = c.failures.saturating_add(1);
                let step = (1_000.0 * f64::from(1u32 << failures.min(5))).min(30_000.0);
                let wait = (step * (0.5 + 0.5 * cx.random())) as u64;
                self.catch_up_retry
                    .insert(conv, (now.saturating_add(wait), failures));
                return;
            }
        };
        let more = self.core.thread(conv).needs_more(&page);
        let before = page.first().map(|m| m.id);
        c.pages.push(page);
        if more && before.is_some() && c.pages.len() < MAX_CATCH_UP_PAGES {
            self.catch_up_page(cx, c, before);
            return;
        }
        if c.epoch != self.epoch || self.closed {
            self.catching_up.retain(|x| *x != conv);
            return;
        }
        let changes = self
            .core
            .thread(conv)
            .on_catch_up(core::mem::take(&mut c.pages));
        if self.lost_count != c.lost || !c.live {
            // The socket dropped meanwhile: not synced with it after all.
            self.core.thread(conv).unsync();
        }
        let recovered = changes
            .iter()
            .filter(|ch| matches!(ch, Change::Created(_)))
            .count() as u32;
        for change in changes {
            self.core.apply(conv, change);
        }
        if !self.files.is_empty() {
            self.sweep_files(cx);
        }
        self.core.emit(Event::Synced {
            conversation_id: conv,
            recovered,
        });
        let again = self.catch_up_again.contains(&conv);
        self.catch_up_again.retain(|x| *x != conv);
        self.catching_up.retain(|x| *x != conv);
        if again {
            self.catch_up(cx, conv, 0);
        }
    }
}
