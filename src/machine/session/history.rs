//! History: the newest page of a thread on first use, then `before` pages.

use super::*;

impl Session {
    // ----- history and catch-up -----------------------------------------------------

    /// Reads the newest page of a thread never read before (for `loadOlder`, `p`).
    pub(super) fn load_first(&mut self, cx: &mut Cx<'_>, conv: i64, p: Option<u32>) {
        let loaded = self.core.thread_ref(conv).is_some_and(|t| t.loaded());
        if self.closed || (p.is_none() && (loaded || self.loading.contains(&conv))) {
            return;
        }
        if let Some(p) = p.filter(|_| self.loading.contains(&conv)) {
            // The newest page is being read already (messages()): its answer is this one's.
            self.waiters.push((conv, p));
            return;
        }
        self.loading.push(conv);
        let step = Step::FirstPage {
            conv,
            epoch: self.epoch,
            lost: self.lost_count,
            live: self.live(),
            p,
        };
        let req = api::messages::list(&self.inbox, &self.source(), conv as f64, None);
        if let Err(e) = self.request(cx, req, step) {
            self.loading.retain(|x| *x != conv);
            match p {
                Some(p) => cx.ops.reject(p, &e),
                None => self.core.emit(Event::Error { error: Some(e) }),
            }
        }
    }

    pub(super) fn on_first_page(&mut self, conv: i64, page: Vec<Message>, synced: bool) {
        let thread = self.core.thread(conv);
        if thread.loaded() {
            return;
        }
        let changes = thread.on_first_page(page);
        // Read while subscribed and nothing dropped since: later messages come by socket.
        if synced {
            thread.mark_synced();
        }
        for change in changes {
            self.core.apply(conv, change);
        }
        self.core.emit(Event::Synced {
            conversation_id: conv,
            recovered: 0,
        });
    }

    pub(super) fn load_older(&mut self, cx: &mut Cx<'_>, conv: i64, p: u32) -> Result<(), Error> {
        let t = self.core.thread(conv);
        let (loaded, at_start, oldest) = (t.loaded(), t.at_start(), t.oldest());
        if !loaded {
            self.load_first(cx, conv, Some(p));
            return Ok(());
        }
        if at_start {
            cx.ops.resolve(p, "false");
            return Ok(());
        }
        if self.older_loading.contains(&conv) {
            // The same page is being read: one request, both calls get its answer.
            self.waiters.push((conv, p));
            return Ok(());
        }
        let req = api::messages::list(
            &self.inbox,
            &self.source(),
            conv as f64,
            oldest.map(|o| o as f64),
        );
        let epoch = self.epoch;
        self.older_loading.push(conv);
        let sent = self.request(cx, req, Step::Older { conv, epoch, p });
        if sent.is_err() {
            self.older_loading.retain(|x| *x != conv);
        }
        sent
    }

    /// `p` (if any) and the calls waiting on the same read of `conv`.
    pub(super) fn take_waiters(&mut self, conv: i64, p: Option<u32>) -> Vec<u32> {
        let mut out: Vec<u32> = p.into_iter().collect();
        self.waiters.retain(|(c, w)| {
            if *c == conv {
                out.push(*w);
                false
            } else {
                true
            }
        });
        out
    }
}
