//! Finds the line of a field entry's `name:` in the YAML text, since
//! serde_yaml values carry no positions.

/// Walks the `name:` lines of a fields file in document order.
#[derive(Debug)]
pub(crate) struct NameLocator<'a> {
    lines: Vec<&'a str>,
    cursor: usize,
}

impl<'a> NameLocator<'a> {
    /// A locator over `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        NameLocator {
            lines: text.lines().collect(),
            cursor: 0,
        }
    }

    /// The 1-based line of the next `name: <name>` at or after the cursor
    /// (falling back to the whole file), moving the cursor past it.
    pub(crate) fn next(&mut self, name: &str) -> Option<usize> {
        let found = (self.cursor..self.lines.len())
            .find(|&i| line_names(self.lines[i], name))
            .or_else(|| (0..self.cursor).find(|&i| line_names(self.lines[i], name)))?;
        self.cursor = found + 1;
        Some(found + 1)
    }
}

fn line_names(line: &str, name: &str) -> bool {
    let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
    let Some(value) = trimmed.strip_prefix("name:") else {
        return false;
    };
    let value = value.split(" #").next().unwrap_or_default().trim();
    let unquoted = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    unquoted == name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_in_order_with_quotes_and_dashes() {
        let text = "- name: a\n  type: group\n  fields:\n    - name: 'b'\n      type: keyword\n- name: \"@timestamp\"\n";
        let mut loc = NameLocator::new(text);
        assert_eq!(loc.next("a"), Some(1));
        assert_eq!(loc.next("b"), Some(4));
        assert_eq!(loc.next("@timestamp"), Some(6));
        assert_eq!(loc.next("missing"), None);
    }

    #[test]
    fn repeated_names_resolve_to_successive_lines() {
        let text = "- name: x\n- name: x\n";
        let mut loc = NameLocator::new(text);
        assert_eq!(loc.next("x"), Some(1));
        assert_eq!(loc.next("x"), Some(2));
    }
}
