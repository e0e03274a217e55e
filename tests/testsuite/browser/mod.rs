//! The built site in a real browser (Debian's headless Chromium), served
//! on loopback: as `book-site build` makes it (`site`), and as GitHub Pages
//! publishes it under a sub-path (`published`).
//!
//! These are the longest checks of the run, so their module sorts early:
//! the test harness starts tests in name order, and a long test started
//! last would make everyone wait for it.

mod accessibility;
mod charts;
mod clean_pages;
mod every_page;
mod keyboard;
mod published;
mod site;
mod the_site;
