//! The book's languages: one entry each, and nothing about a language
//! anywhere else. A new language is a new entry here plus its chapters
//! under `src/CODE/` (see the README, "Add a fourth language").

use crate::{Captions, Language};

/// Every language of the book, in the order the site presents them. The
/// first is the default: where `x-default` points, and what a reader
/// whose browser prefers none of the others gets.
pub const LANGUAGES: &[Language] = &[
    Language {
        code: "en",
        name: "English",
        short: "EN",
        title: "A Thread Pool, Compiler First",
        description: "Build a multithreaded web server in Rust, one compiler error at a time",
        predict: "Predict",
        picker_label: "Language",
        page_not_found: "Page not found",
        to_first_page: "Go to the book's first page",
        captions: Captions {
            listing: "Listing",
            listing_in_text: "listing",
            does_not_compile: "does not compile",
            panics: "panics",
            misbehaves: "not what we want yet",
            changed_since: "What changed since",
            new_file: "New file in this step",
            output_of: "Output of",
            output_for: "for",
            crate_title: "This listing's crate, in the book's repository",
        },
    },
    Language {
        code: "pt-BR",
        name: "Português (Brasil)",
        short: "PT",
        title: "Um pool de threads, com o compilador à frente",
        description: "Construa um servidor web multithread em Rust, um erro do compilador por vez",
        predict: "Preveja",
        picker_label: "Idioma",
        page_not_found: "Página não encontrada",
        to_first_page: "Ir para a primeira página do livro",
        captions: Captions {
            listing: "Listagem",
            listing_in_text: "listagem",
            does_not_compile: "não compila",
            panics: "entra em pânico",
            misbehaves: "ainda não faz o que queremos",
            changed_since: "O que mudou desde a",
            new_file: "Arquivo novo neste passo",
            output_of: "Saída de",
            output_for: "para a",
            crate_title: "O crate desta listagem, no repositório do livro",
        },
    },
    Language {
        code: "es",
        name: "Español",
        short: "ES",
        title: "Un pool de hilos, con el compilador por delante",
        description: "Construye un servidor web multihilo en Rust, un error del compilador a la vez",
        predict: "Predice",
        picker_label: "Idioma",
        page_not_found: "Página no encontrada",
        to_first_page: "Ir a la primera página del libro",
        captions: Captions {
            listing: "Listado",
            listing_in_text: "listado",
            does_not_compile: "no compila",
            panics: "entra en pánico",
            misbehaves: "todavía no hace lo que queremos",
            changed_since: "Qué cambió desde el",
            new_file: "Archivo nuevo en este paso",
            output_of: "Salida de",
            output_for: "para el",
            crate_title: "El crate de este listado, en el repositorio del libro",
        },
    },
];
