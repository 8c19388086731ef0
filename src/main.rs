//! Entry point: installs the panic hook and mounts the app. Everything else lives in the library.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(scalelab::App);
    // The loading frame in index.html has done its job.
    scalelab::platform::remove_element("boot");
}
