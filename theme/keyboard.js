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
