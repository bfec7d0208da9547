//! What every handler shares: the store, the clock, the merchants, the armed faults and the
//! switches from the command line. Depends on nothing that handles requests.

use crate::{clock, config, faults, store};

pub struct App {
    pub store: store::Store,
    pub clock: clock::Clock,
    pub merchants: Vec<config::Merchant>,
    pub faults: faults::Faults,
    pub control_enabled: bool,
    pub quiet: bool,
}
