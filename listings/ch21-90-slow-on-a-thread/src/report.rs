//! `/report`: a page computed for every request, made of sections that do
//! not depend on each other. Each counts the prime numbers in a range of
//! its own, by trial division: work for the processor, and nothing else.

use std::ops::Range;

// ANCHOR: size
/// How many sections the report has, and how many numbers each covers:
/// together, every number below a million.
const SECTIONS: u64 = 8;
const SECTION_SPAN: u64 = 125_000;
// ANCHOR_END: size

// ANCHOR: render
/// The report: how many primes each section's numbers hold, a line each.
pub fn render() -> String {
    let end = SECTIONS * SECTION_SPAN;
    // Every section divides by the same small primes: found once, for all.
    let divisors = primes_up_to(end.isqrt());
    let sections: Vec<Range<u64>> = (0..SECTIONS)
        .map(|i| i * SECTION_SPAN..(i + 1) * SECTION_SPAN)
        .collect();

    // ANCHOR: lines
    let mut lines = Vec::new();
    for numbers in &sections {
        lines.push(section(numbers, &divisors));
    }
    // ANCHOR_END: lines
    page(&lines)
}
// ANCHOR_END: render

// ANCHOR: section
/// One section: how many primes `numbers` holds, as a line of the page.
/// `divisors` must hold every prime up to the square root of its end.
fn section(numbers: &Range<u64>, divisors: &[u64]) -> String {
    let mut primes = 0;
    for n in numbers.clone() {
        if is_prime(n, divisors) {
            primes += 1;
        }
    }
    format!(
        "      <li>{} to {}: {primes} primes</li>\n",
        numbers.start,
        numbers.end - 1
    )
}

/// Whether `n` is prime: no number of `divisors` up to its square root
/// divides it. `divisors` must hold every prime that far.
fn is_prime(n: u64, divisors: &[u64]) -> bool {
    if n < 2 {
        return false;
    }
    for &divisor in divisors {
        if divisor * divisor > n {
            break;
        }
        if n % divisor == 0 {
            return false;
        }
    }
    true
}

/// Every prime up to `limit`, each found by dividing by the ones before it.
fn primes_up_to(limit: u64) -> Vec<u64> {
    let mut primes = Vec::new();
    for n in 2..=limit {
        if is_prime(n, &primes) {
            primes.push(n);
        }
    }
    primes
}
// ANCHOR_END: section

/// The whole page, around the sections' lines.
fn page(lines: &[String]) -> String {
    let mut page = String::from(
        "<!DOCTYPE html>\n\
         <html lang=\"en\">\n  \
         <head>\n    \
         <meta charset=\"utf-8\">\n    \
         <title>Primes below a million</title>\n  \
         </head>\n  \
         <body>\n    \
         <h1>Primes below a million</h1>\n    \
         <ul>\n",
    );
    for line in lines {
        page.push_str(line);
    }
    page.push_str("    </ul>\n  </body>\n</html>\n");
    page
}
