//! Site-wide pages and chrome: header, footer, home, coming soon, not found.

mod chrome;
mod coming_soon;
mod home;
mod lab_icon;
mod lab_route;
mod not_found;

pub use chrome::{Footer, Header};
pub use coming_soon::ComingSoon;
pub use home::Home;
pub use lab_icon::LabIcon;
pub use lab_route::LabRoute;
pub use not_found::NotFound;
