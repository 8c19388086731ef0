//! The glossary: one short definition per term the lessons use ([`TERMS`]), the matching that
//! finds a term's first use in a lesson step ([`mark`]), the in-place definition
//! ([`TermText`]) and the page that lists them all (`/glossary`, [`GlossaryPage`]).

mod page;
mod terms;
mod text;

pub use page::GlossaryPage;
pub use terms::TERMS;
pub use text::TermText;

/// One glossary entry.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Term {
    /// Anchor on the glossary page (`/glossary#<id>`) and the id of its in-place definitions.
    pub id: &'static str,
    /// The term as the glossary lists it.
    pub term: &'static str,
    /// Lower-case words and phrases that are this term in a text (whole words only).
    pub matches: &'static [&'static str],
    /// One or two sentences.
    pub definition: &'static str,
}

/// A piece of a paragraph: plain text, or the first use of a glossary term in the step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Piece<'a> {
    /// Text as written.
    Text(&'a str),
    /// The words as written, and the term they are.
    Term(&'a str, &'static Term),
}

/// The entry with this id.
pub fn term(id: &str) -> Option<&'static Term> {
    TERMS.iter().find(|t| t.id == id)
}

/// Splits a step's paragraphs into pieces, marking the first use of each glossary term in the
/// step (later uses stay plain text). Matches are whole words, case-insensitive, the longest
/// phrase first ("read replicas" before "replicas").
pub fn mark<'a>(paragraphs: &[&'a str]) -> Vec<Vec<Piece<'a>>> {
    let mut patterns: Vec<(&'static str, &'static Term)> = TERMS
        .iter()
        .flat_map(|t| t.matches.iter().map(move |m| (*m, t)))
        .collect();
    patterns.sort_by_key(|(m, _)| std::cmp::Reverse(m.len()));
    let mut used: Vec<&'static str> = Vec::new();
    paragraphs
        .iter()
        .map(|text| {
            let lower = text.to_ascii_lowercase();
            let bytes = lower.as_bytes();
            let is_word = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric());
            let mut pieces = Vec::new();
            let (mut plain_from, mut at) = (0, 0);
            while at < bytes.len() {
                let starts_word = at == 0 || !is_word(at - 1);
                let found = starts_word
                    .then(|| {
                        patterns
                            .iter()
                            .find(|(m, _)| lower[at..].starts_with(m) && !is_word(at + m.len()))
                    })
                    .flatten();
                match found {
                    Some((m, t)) => {
                        let end = at + m.len();
                        if !used.contains(&t.id) {
                            used.push(t.id);
                            if plain_from < at {
                                pieces.push(Piece::Text(&text[plain_from..at]));
                            }
                            pieces.push(Piece::Term(&text[at..end], t));
                            plain_from = end;
                        }
                        at = end;
                    }
                    None => at += lower[at..].chars().next().map_or(1, char::len_utf8),
                }
            }
            if plain_from < text.len() {
                pieces.push(Piece::Text(&text[plain_from..]));
            }
            pieces
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(pieces: &[Vec<Piece>]) -> Vec<(String, &'static str)> {
        pieces
            .iter()
            .flatten()
            .filter_map(|p| match p {
                Piece::Term(w, t) => Some((w.to_string(), t.id)),
                Piece::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn marks_the_first_use_of_each_term_in_a_step() {
        let step = [
            "The p99 of read replicas × 2 rises; the P99 again.",
            "Replicas lag; a TTL of 5 s.",
        ];
        let pieces = mark(&step);
        assert_eq!(
            terms(&pieces),
            vec![
                ("p99".into(), "percentile"),
                ("read replicas".into(), "replica"),
                ("lag".into(), "lag"),
                ("TTL".into(), "ttl")
            ]
        );
        // Nothing is lost or reordered.
        for (text, pieces) in step.iter().zip(&pieces) {
            let joined: String = pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(s) | Piece::Term(s, _) => *s,
                })
                .collect();
            assert_eq!(&joined, text);
        }
    }

    #[test]
    fn whole_words_only() {
        assert!(terms(&mark(&["Flagging a slower shardless ttls run"])).is_empty());
        assert_eq!(terms(&mark(&["(LRU)"])), vec![("LRU".into(), "lru")]);
    }

    #[test]
    fn entries_are_well_formed() {
        let mut ids: Vec<&str> = TERMS.iter().map(|t| t.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), TERMS.len(), "ids are unique");
        let alphabetical = TERMS
            .windows(2)
            .all(|w| w[0].term.to_lowercase() <= w[1].term.to_lowercase());
        assert!(
            alphabetical,
            "TERMS is in alphabetical order (the page lists it as it is)"
        );
        let mut all: Vec<&str> = TERMS.iter().flat_map(|t| t.matches.iter().copied()).collect();
        for m in &all {
            assert_eq!(*m, m.to_ascii_lowercase(), "{m} is lower case");
        }
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n, "no phrase belongs to two terms");
        for t in TERMS {
            assert!(!t.matches.is_empty() && t.definition.len() > 40, "{}", t.id);
        }
    }

    #[test]
    fn the_issues_terms_are_defined() {
        for words in [
            "p50",
            "p99",
            "coefficient of variation",
            "zipf",
            "erlang c",
            "utilisation",
            "read-your-writes",
            "monotonic reads",
            "quorum",
            "sigma",
            "kappa",
            "ttl",
            "idempotent",
        ] {
            let marked = mark(&[words]);
            assert_eq!(terms(&marked).len(), 1, "{words}");
        }
    }
}

#[cfg(test)]
mod lesson_tests {
    use super::*;
    use crate::lessons::*;

    /// Every lesson links some terms, and no step so many that the text reads as a list of links.
    #[test]
    fn lessons_link_their_terms_in_moderation() {
        let all = [
            &HASH_RING,
            &REPLICATION,
            &CACHE,
            &CIRCUIT_BREAKER,
            &CAPACITY,
            &LOAD_BALANCING,
            &SHARDING,
            &QUEUES,
            &AUTOSCALING,
            &RATE_LIMITING,
            &JOURNEY,
        ];
        for lesson in all {
            let mut linked = 0;
            for step in lesson.steps {
                let marked: Vec<&str> = mark(step.body)
                    .iter()
                    .flatten()
                    .filter_map(|p| match p {
                        Piece::Term(_, t) => Some(t.id),
                        Piece::Text(_) => None,
                    })
                    .collect();
                assert!(marked.len() <= 8, "{} / {}: {marked:?}", lesson.id, step.title);
                linked += marked.len();
            }
            assert!(linked >= 3, "{} links {linked} terms", lesson.id);
        }
    }
}
