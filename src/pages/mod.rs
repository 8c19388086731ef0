//! Site-wide pages and chrome: header, footer, home, coming soon, not found.

mod chrome;
mod coming_soon;
mod home;
mod lab_icon;
mod not_found;

pub use chrome::{Footer, Header};
pub use coming_soon::{ComingSoon, LabRoute};
pub use home::Home;
pub use lab_icon::LabIcon;
pub use not_found::NotFound;
