//! Outgoing typing (SPEC §4): `on` at most once per 3 s while keys keep coming, `off`
//! after 5 s idle, on send and on `stopTyping`.

/// `on` is repeated at most this often.
pub const ON_EVERY_MS: u64 = 3_000;
/// `off` after this long without a key.
pub const IDLE_OFF_MS: u64 = 5_000;

/// What to send to `toggle_typing`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toggle {
    /// `typing_status=on`.
    On,
    /// `typing_status=off`.
    Off,
}

/// One conversation's outgoing typing state.
#[derive(Debug, Default, Clone, Copy)]
pub struct TypingOut {
    on: bool,
    last_on_sent: u64,
    last_key: u64,
}

impl TypingOut {
    /// The user typed.
    pub fn key(&mut self, now: u64) -> Option<Toggle> {
        self.last_key = now;
        if self.on && now.saturating_sub(self.last_on_sent) < ON_EVERY_MS {
            return None;
        }
        self.on = true;
        self.last_on_sent = now;
        Some(Toggle::On)
    }

    /// The user sent, or left the field.
    pub fn stop(&mut self) -> Option<Toggle> {
        std::mem::take(&mut self.on).then_some(Toggle::Off)
    }

    /// The clock passed [`TypingOut::deadline`].
    pub fn tick(&mut self, now: u64) -> Option<Toggle> {
        if self.on && now >= self.last_key.saturating_add(IDLE_OFF_MS) {
            self.on = false;
            return Some(Toggle::Off);
        }
        None
    }

    /// When `off` is due.
    pub fn deadline(&self) -> Option<u64> {
        self.on.then_some(self.last_key.saturating_add(IDLE_OFF_MS))
    }
}
