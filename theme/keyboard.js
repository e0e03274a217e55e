// The sidebar's toggle, made a button by the site builder (see
// site/src/accessible.rs), answers the keys a button answers: Enter and
// Space press it, as a click does.
(function () {
    "use strict";
    const toggle = document.getElementById("mdbook-sidebar-toggle");
    if (!toggle) {
        return;
    }
    toggle.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            toggle.click();
        }
    });
})();

// A listing or a table wider than the page takes the focus (see
// site/src/accessible.rs) so that the arrow keys scroll it; mdBook's own
// keys turn ← and → into the previous and next chapter wherever the focus
// is, and a reader scrolling a listing was sent to another chapter. Those
// two keys, on a block that scrolls, stay with the block.
window.addEventListener(
    "keydown",
    function (event) {
        const block = event.target;
        if (
            (event.key === "ArrowLeft" || event.key === "ArrowRight") &&
            block instanceof Element &&
            block.matches("pre > code[tabindex], .table-wrapper[tabindex]") &&
            block.scrollWidth > block.clientWidth
        ) {
            event.stopPropagation();
        }
    },
    true,
);
