//! Maps a JSON pointer (from a schema error) back to a line of block-style
//! YAML text, by following keys and list items through indentation.

/// The 1-based line of the deepest node of `pointer` found in `text`
/// (`""` is the document itself: line 1).
pub fn line_of_pointer(text: &str, pointer: &str) -> Option<usize> {
    let lines: Vec<Line> = text.lines().map(Line::parse).collect();
    let mut start = 0;
    let mut end = lines.len();
    let mut found: Option<usize> = None;
    let segments = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"));
    for segment in segments {
        let hit = match segment.parse::<usize>() {
            Ok(index) => find_item(&lines, start, end, index),
            Err(_) => find_key(&lines, start, end, &segment),
        };
        let Some((line, range_start, block_indent, is_item)) = hit else {
            break;
        };
        found = Some(line);
        start = range_start;
        end = block_end(&lines, line + 1, end, block_indent, is_item);
    }
    Some(found.map_or(1, |l| l + 1))
}

#[derive(Debug)]
struct Line<'a> {
    /// Indentation of the first character.
    indent: usize,
    /// Indentation of the content after any `- ` markers.
    key_indent: usize,
    /// Number of `- ` markers.
    dashes: usize,
    /// Content after the markers.
    content: &'a str,
    /// Blank or comment only.
    empty: bool,
}

impl<'a> Line<'a> {
    fn parse(raw: &'a str) -> Line<'a> {
        let trimmed = raw.trim_start();
        let indent = raw.len() - trimmed.len();
        let mut content = trimmed;
        let mut key_indent = indent;
        let mut dashes = 0;
        while let Some(rest) = content
            .strip_prefix("- ")
            .or_else(|| (content == "-").then_some(""))
        {
            let after = rest.trim_start();
            key_indent += content.len() - after.len();
            content = after;
            dashes += 1;
        }
        Line {
            indent,
            key_indent,
            dashes,
            content,
            empty: trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---",
        }
    }

    fn key(&self) -> Option<&str> {
        let (key, _) = self.content.split_once(':')?;
        Some(key.trim().trim_matches('"').trim_matches('\''))
    }
}

/// The `index`-th list item in `[start, end)`: (line, content start, indent).
fn find_item(
    lines: &[Line],
    start: usize,
    end: usize,
    index: usize,
) -> Option<(usize, usize, usize, bool)> {
    let first = (start..end).find(|&i| !lines[i].empty)?;
    // The item may start on the line that opened the range (`- - a`).
    let dash_indent = if lines[first].dashes > 0 {
        lines[first].indent
    } else {
        return None;
    };
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate().take(end).skip(first) {
        if line.empty || line.indent != dash_indent || line.dashes == 0 {
            continue;
        }
        if seen == index {
            return Some((i, i, dash_indent, true));
        }
        seen += 1;
    }
    None
}

/// The line of `key` in the mapping occupying `[start, end)`.
fn find_key(
    lines: &[Line],
    start: usize,
    end: usize,
    key: &str,
) -> Option<(usize, usize, usize, bool)> {
    let first = (start..end).find(|&i| !lines[i].empty)?;
    let block = lines[first].key_indent;
    for (i, line) in lines.iter().enumerate().take(end).skip(first) {
        if line.empty || line.key_indent != block {
            continue;
        }
        if line.key() == Some(key) {
            return Some((i, i + 1, block, false));
        }
    }
    None
}

/// End of the block opened at `from - 1`: for a list item, the next line at
/// or left of its dash; for a key, the next line left of it or a sibling key
/// (a key's value may be a list at the key's own indent).
fn block_end(lines: &[Line], from: usize, end: usize, indent: usize, is_item: bool) -> usize {
    (from..end)
        .find(|&i| {
            let l = &lines[i];
            !l.empty && (l.indent < indent || (l.indent == indent && (is_item || l.dashes == 0)))
        })
        .unwrap_or(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
format_version: 3.6.0
name: demo
policy_templates:
  - name: a
    inputs:
      - type: cel
        vars:
          - name: url
            type: txt
conditions:
  kibana:
    version: x
";

    #[test]
    fn top_level_key() {
        assert_eq!(line_of_pointer(DOC, "/name"), Some(2));
    }

    #[test]
    fn nested_list_items_and_keys() {
        assert_eq!(
            line_of_pointer(DOC, "/policy_templates/0/inputs/0/vars/0/type"),
            Some(9)
        );
        assert_eq!(line_of_pointer(DOC, "/conditions/kibana/version"), Some(12));
    }

    #[test]
    fn missing_segment_stops_at_deepest_found() {
        assert_eq!(line_of_pointer(DOC, "/conditions/elastic"), Some(10));
        assert_eq!(line_of_pointer(DOC, ""), Some(1));
    }

    #[test]
    fn list_at_key_indent_and_second_item() {
        let doc = "- name: a\n  type: keyword\n- name: b\n  fields:\n  - name: c\n    type: nope\n";
        assert_eq!(line_of_pointer(doc, "/1/fields/0/type"), Some(6));
        assert_eq!(line_of_pointer(doc, "/0/type"), Some(2));
    }
}
