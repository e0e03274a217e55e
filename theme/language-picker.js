// The language picker (added to every page by `cargo run -p book-site`):
// its links lead to the same page in the other languages, and this keeps
// them pointing at the section being read too. Heading ids are the same in
// every language, so the page's #fragment carries over as it is. Without
// JavaScript the links still work, to the top of the page.
(() => {
    "use strict";
    const links = Array.from(document.querySelectorAll(".language-picker a[href]"));
    // `mdbook serve` builds one language only, with no picker.
    if (links.length === 0) {
        return;
    }
    const pages = links.map((link) => link.getAttribute("href").split("#")[0]);
    const follow = () => {
        links.forEach((link, i) => link.setAttribute("href", pages[i] + window.location.hash));
    };
    follow();
    window.addEventListener("hashchange", follow);
    // The hash can also change without a hashchange (history.replaceState):
    // look again whenever a link is about to be followed or copied.
    for (const event of ["pointerdown", "focus", "click", "auxclick", "contextmenu"]) {
        links.forEach((link) => link.addEventListener(event, follow));
    }
})();
