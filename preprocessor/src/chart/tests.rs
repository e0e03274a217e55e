//! A chart drawn whole, from a data file on disk, in each language.

use super::*;
use std::fs;

const SERVERS: &str = "# book-bench servers: test data\n\
    # machine: 2 cores, Linux\n\
    # date: 2026-12-02T02:39:55Z\n\
    server,threads,workers,connections,requests_per_second,p99_us\n\
    ch03-01-slow-route,one,,1,7049.7,727\n\
    ch03-01-slow-route,one,,4,17311.9,511\n\
    ch03-01-slow-route,one,,16,17558.4,2175\n\
    ch03-01-slow-route,one,,64,15077.3,8447\n\
    ch08-09-close-listener-first,pool,4,1,3365.2,1167\n\
    ch08-09-close-listener-first,pool,4,4,12610.8,799\n\
    ch08-09-close-listener-first,pool,4,16,15743,2687\n\
    ch08-09-close-listener-first,pool,4,64,15805.3,8959\n\
    nginx,nginx,2,1,20000.5,300\n";

struct Data(tempfile::TempDir);

impl Data {
    fn new() -> Data {
        let dir = tempfile::Builder::new().prefix("chart-").tempdir().unwrap();
        let data = Data(dir);
        data.write("bench/data/servers.csv", SERVERS);
        data
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.0.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn chart(&self, directive: &str, language: &str) -> Result<String, String> {
        let args: Vec<&str> = directive.split_whitespace().collect();
        let spec = parse(&args)?;
        let listing_label =
            |name: &str| (name == "ch08-09-close-listener-first").then(|| "Listing 57".to_string());
        render(
            &spec,
            &id(&spec),
            &Sources {
                book_root: self.0.path(),
                language: Some(language),
                listing_label: &listing_label,
            },
        )
    }
}

const LINES: &str = "lines bench/data/servers.csv x=connections y=requests_per_second";

#[test]
fn a_line_chart_is_a_figure_with_its_svg_caption_and_folded_figures() {
    let html = Data::new().chart(LINES, "en").unwrap();
    assert!(html.starts_with("<div class=\"chart\" id=\"chart-servers-requests_per_second\">\n<figure class=\"chart-figure\">\n<svg "), "{html}");
    assert!(
        !html.contains("\n\n"),
        "no blank line: Markdown must leave it whole\n{html}"
    );
    assert!(html.contains(
        "role=\"img\" aria-labelledby=\"chart-servers-requests_per_second-title \
         chart-servers-requests_per_second-desc\""
    ));
    assert!(html.contains("viewBox=\"0 0 420 ") && html.contains("width=\"100%\""));
    assert!(html.contains(
        "<title id=\"chart-servers-requests_per_second-title\">Requests per second against \
         connections</title>"
    ));
    assert!(
        html.contains(
            "<desc id=\"chart-servers-requests_per_second-desc\">Line chart of requests per second \
         (vertical axis) against connections (horizontal axis), one line per server \
         configuration: one thread, from 7,049.7 (connections: 1) to 15,077.3 (connections: \
         64), highest 17,558.4 (connections: 16); pool of 4, from 3,365.2 (connections: 1) to \
         15,805.3 (connections: 64); nginx, 2 workers: 20,000.5 (connections: 1).</desc>"
        ),
        "{html}"
    );
    assert!(html.contains(
        "<figcaption><span class=\"chart-title\">Requests per second against connections.</span> \
         Measured on: 2 cores, Linux; 2026-12-02T02:39:55Z. Data: \
         <code>bench/data/servers.csv</code>.</figcaption>\n</figure>\n\
         <details class=\"chart-figures\">\n<summary>The figures</summary>\n"
    ), "{html}");
    // Three series, each with its own colour class, and the legend names them.
    for (n, label) in [(1, "one thread"), (2, "pool of 4"), (3, "nginx, 2 workers")] {
        assert!(html.contains(&format!("class=\"chart-series chart-series-{n}\"")));
        assert!(html.contains(&format!("\">{label}</text>")), "{label}");
    }
    // Told apart without colour: a circle, a square, a triangle; solid, dashed, dotted.
    assert!(
        html.contains("<circle ")
            && html.contains("<rect ")
            && html.contains("Z\" stroke=\"none\"/>")
    );
    assert!(html.contains("stroke-dasharray=\"7 4\"") && html.contains("stroke-dasharray=\"2 3\""));
    // On a linear axis 1, 4, 16 and 64 crowd: round ticks instead.
    for tick in ["0", "20", "40", "60", "80"] {
        assert!(
            html.contains(&format!("text-anchor=\"middle\">{tick}</text>")),
            "{tick}"
        );
    }
    // The table: a row per x, a column per line, exactly the values drawn.
    assert!(
        html.contains(
            "<thead><tr><th scope=\"col\">connections</th><th scope=\"col\">one thread</th>\
         <th scope=\"col\">pool of 4</th><th scope=\"col\">nginx, 2 workers</th></tr></thead>"
        ),
        "{html}"
    );
    assert!(html.contains(
        "<tr><th scope=\"row\">1</th><td>7,049.7</td><td>3,365.2</td><td>20,000.5</td></tr>"
    ));
    assert!(html.contains(
        "<tr><th scope=\"row\">64</th><td>15,077.3</td><td>15,805.3</td><td>—</td></tr>"
    ));
    assert!(
        html.ends_with("</table></div>\n</details>\n</div>\n"),
        "{html}"
    );
}

#[test]
fn many_lines_at_a_few_points_make_a_row_per_line() {
    let data = Data::new();
    data.write(
        "bench/data/wide.csv",
        "threads,workers,connections,requests_per_second\n\
         pool,1,1,10\npool,2,1,20\npool,4,1,40\npool,4,4,80\n",
    );
    let html = data
        .chart(
            "lines bench/data/wide.csv x=connections y=requests_per_second",
            "en",
        )
        .unwrap();
    assert!(
        html.contains(
            "<thead><tr><th scope=\"col\">connections</th><th scope=\"col\">1</th>\
         <th scope=\"col\">4</th></tr></thead>"
        ),
        "{html}"
    );
    assert!(html.contains("<tr><th scope=\"row\">pool of 1</th><td>10</td><td>—</td></tr>"));
    assert!(html.contains("<tr><th scope=\"row\">pool of 4</th><td>40</td><td>80</td></tr>"));
}

#[test]
fn the_same_data_gives_the_same_bytes() {
    let data = Data::new();
    assert_eq!(
        data.chart(LINES, "es").unwrap(),
        data.chart(LINES, "es").unwrap()
    );
}

#[test]
fn every_word_is_in_the_books_language() {
    let data = Data::new();
    let pt = data
        .chart(
            "lines bench/data/servers.csv x=connections y=p99_us where=threads:pool log-x",
            "pt-BR",
        )
        .unwrap();
    assert!(
        pt.contains(
            "<title id=\"chart-servers-p99_us-title\">Latência p99 em função de conexões \
             (threads: pool)</title>"
        ),
        "{pt}"
    );
    assert!(
        pt.contains(
            ">Gráfico de linhas de latência p99 (eixo vertical) em função de conexões (eixo \
         horizontal, escala logarítmica), uma linha por configuração de servidor: pool de 4, de \
         1,167\u{a0}ms (conexões: 1) a 8,959\u{a0}ms (conexões: 64), mínimo de 0,799\u{a0}ms \
         (conexões: 4).</desc>"
        ),
        "{pt}"
    );
    assert!(
        pt.contains(">latência p99 (ms)</text>"),
        "the axis says its unit"
    );
    assert!(pt.contains("<caption>latência p99 (ms)</caption>"));
    assert!(pt.contains("<summary>Os números</summary>") && pt.contains("Medido em: 2 núcleos"));
    assert!(pt.contains("<td>1,167</td>"), "the table in ms, as drawn");
    // On a logarithmic axis the connections measured are the ticks.
    for tick in ["1", "4", "16", "64"] {
        assert!(
            pt.contains(&format!("text-anchor=\"middle\">{tick}</text>")),
            "{tick}"
        );
    }

    let es = data.chart(LINES, "es").unwrap();
    assert!(es.contains(">Solicitudes por segundo en función de conexiones</title>"));
    assert!(
        es.contains("un hilo, de 7049.7 (conexiones: 1) a 15\u{a0}077.3 (conexiones: 64)"),
        "{es}"
    );
    assert!(es.contains("<summary>Las cifras</summary>") && es.contains(">pool de 4</text>"));
    // book-bench writes its machine line in English: its word, in Spanish.
    assert!(es.contains("Medido en: 2 núcleos, Linux;"), "{es}");
}

#[test]
fn a_bar_chart_labels_listings_as_their_captions_do() {
    let data = Data::new();
    let html = data
        .chart(
            "bars bench/data/servers.csv y=requests_per_second where=connections:1",
            "en",
        )
        .unwrap();
    assert!(
        html.contains(">Requests per second, by server (connections: 1)</title>"),
        "{html}"
    );
    assert!(
        html.contains(
            ">Horizontal bar chart of requests per second (horizontal axis), one bar per server, \
         from top to bottom: ch03-01-slow-route: 7,049.7; Listing 57: 3,365.2; nginx: \
         20,000.5.</desc>"
        ),
        "{html}"
    );
    assert!(html.contains(
        "<thead><tr><th scope=\"col\">Server</th><th scope=\"col\">requests per second</th>\
         </tr></thead>"
    ));
    assert!(html.contains("<tr><th scope=\"row\">Listing 57</th><td>3,365.2</td></tr>"));
    assert_eq!(html.matches("<rect ").count(), 3, "one bar per row");
    assert!(html.contains("text-anchor=\"end\">Listing 57</text>"));
    assert!(!html.contains("\n\n"));
}

#[test]
fn a_log_axis_and_a_file_without_comments_work_too() {
    let data = Data::new();
    data.write(
        "bench/data/mix.csv",
        "threads,workers,slow_in_flight,fast_requests_per_second\n\
                                      pool,4,0.5,9000\npool,4,2,3000\npool,4,8,40\n",
    );
    let html = data
        .chart(
            "lines bench/data/mix.csv x=slow_in_flight y=fast_requests_per_second log-y",
            "en",
        )
        .unwrap();
    assert!(
        html.contains("(vertical axis, logarithmic scale)"),
        "{html}"
    );
    assert!(
        !html.contains("Measured on"),
        "no machine comment, no claim"
    );
    // Ticks at 1, 2 and 5 times the powers of ten (thinned to powers over many decades).
    assert!(
        html.contains(">10,000</text>") && html.contains(">10</text>"),
        "{html}"
    );
    assert!(html.contains("<th scope=\"row\">0.5</th>"), "{html}");
}

#[test]
fn a_missing_file_or_language_is_named() {
    let data = Data::new();
    let err = data
        .chart("lines bench/data/nope.csv x=connections y=p99_us", "en")
        .unwrap_err();
    assert!(
        err.starts_with("cannot read the data file bench/data/nope.csv ("),
        "{err}"
    );
    assert!(err.contains("README, \"Measuring\""), "{err}");
    let err = data.chart(LINES, "fr").unwrap_err();
    assert!(
        err.contains("`fr`") && err.contains("languages/src/table.rs"),
        "{err}"
    );
}

#[test]
fn odd_data_is_drawn_or_refused_never_a_panic() {
    let data = Data::new();
    let header = "server,threads,workers,connections,requests_per_second\n";
    for (rows, log) in [
        ("a,one,,1,5\n", ""),
        ("a,one,,1,0\na,one,,2,0\n", ""),
        ("a,one,,1,-5\na,one,,2,7\n", ""),
        ("a,one,,1,1e-9\na,one,,2,3e12\n", "log-x log-y"),
        (
            "a,one,,1,123456789012\na,one,,1000000,123456789013\n",
            "log-x",
        ),
        ("a,one,,1,0.001\na,one,,2,0.001\n", "log-y"),
        ("a,one,,1,NaN\n", ""),
        ("a,one,,1,inf\n", ""),
        ("a,one,,,5\n", ""),
        ("a,one,,1,\n", ""),
        ("a,pool,x,1,5\n", ""),
        (
            &(0..40)
                .map(|i| format!("a,pool,{},{},{}\n", i % 13 + 1, i / 13, i * 7))
                .collect::<String>(),
            "",
        ),
    ] {
        data.write("bench/data/odd.csv", &format!("{header}{rows}"));
        for kind in [
            "lines bench/data/odd.csv x=connections",
            "bars bench/data/odd.csv",
        ] {
            let log = if kind.starts_with("bars") {
                log.replace("log-x", "")
            } else {
                log.to_string()
            };
            let directive = format!("{kind} y=requests_per_second {log}");
            let first = data.chart(&directive, "pt-BR");
            assert_eq!(
                first,
                data.chart(&directive, "pt-BR"),
                "{directive} on {rows:?}"
            );
            if let Ok(html) = first {
                assert!(
                    !html.contains("NaN") && !html.contains("inf"),
                    "{directive}: {html}"
                );
            }
        }
    }
}
