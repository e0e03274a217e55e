// The print page, as a reader prints it or the site builder prints it to
// each book's PDF (site/src/pdf.rs): the answers of each "Your turn" are
// unfolded, for a reader who cannot unfold them on paper. (A diff stays
// folded, and print styles leave it out: the listing after it is whole.)
(function () {
    "use strict";
    if (!window.location.pathname.endsWith("/print.html")) {
        return;
    }
    for (const details of document.querySelectorAll("main details:not(.listing-diff)")) {
        details.open = true;
    }
})();
