//! Organizational Domains (RFC 7489 §3.2): a domain's public suffix, found in the
//! Public Suffix List, and one label more.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The list's rules (`com`, `*.ck`, `!www.ck`), read once from their grouped form
/// (`ck:* !www`).
fn rules() -> &'static HashSet<String> {
    static RULES: OnceLock<HashSet<String>> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules = HashSet::new();
        let groups = include_str!("public_suffix_list.dat")
            .lines()
            .filter(|line| !line.starts_with("//"))
            .filter_map(|line| line.split_once(':'));
        for (parent, firsts) in groups {
            for first in firsts.split(' ').filter(|first| !first.is_empty()) {
                rules.insert(if parent.is_empty() {
                    first.to_owned()
                } else {
                    format!("{first}.{parent}")
                });
            }
        }
        rules
    })
}

/// How many labels at the right of `labels` are the public suffix: the rule that
/// matches the most labels wins, an exception rule (`!`) takes one label off its
/// match, and a name no rule matches has its last label as suffix (the list's `*`).
fn suffix_length(labels: &[&str]) -> usize {
    let rules = rules();
    for count in (1..=labels.len()).rev() {
        let Some(tail) = labels.get(labels.len() - count..) else {
            continue;
        };
        let candidate = tail.join(".");
        if rules.contains(format!("!{candidate}").as_str()) {
            return count - 1;
        }
        if rules.contains(candidate.as_str()) {
            return count;
        }
        if let Some(parent) = tail.get(1..)
            && !parent.is_empty()
            && rules.contains(format!("*.{}", parent.join(".")).as_str())
        {
            return count;
        }
    }
    1
}

/// The Organizational Domain of `domain` (lower case, no final dot): its public suffix
/// and the label before it; a public suffix itself is its own.
pub fn organizational_domain(domain: &str) -> String {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    let keep = (suffix_length(&labels) + 1).min(labels.len());
    labels
        .get(labels.len() - keep..)
        .map(|labels| labels.join("."))
        .unwrap_or(domain.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organizational_domains_follow_the_public_suffix_list() {
        for (domain, organizational) in [
            ("example.com", "example.com"),
            ("mail.Example.COM.", "example.com"),
            ("a.b.example.co.uk", "example.co.uk"),
            ("co.uk", "co.uk"),
            ("com", "com"),
            // Wildcard and exception rules: *.ck and !www.ck.
            ("a.b.ck", "a.b.ck"),
            ("mail.www.ck", "www.ck"),
            // A private-section suffix: each user's site is its own organisation.
            ("alice.github.io", "alice.github.io"),
            ("www.alice.github.io", "alice.github.io"),
            // A top-level domain the list does not know counts as a suffix.
            ("mx.example.test", "example.test"),
            // Unicode rules match in either form.
            ("shop.xn--55qx5d.cn", "shop.xn--55qx5d.cn"),
        ] {
            assert_eq!(organizational_domain(domain), organizational, "{domain}");
        }
    }
}
