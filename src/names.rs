//! Positions by name (article ids, XML attribute names), for finding repeats
//! and looking names up in n log n instead of a scan per name: carts of
//! 40 000 lines and elements of 5 900 attributes made those scans quadratic.
//! A sorted vector rather than a map: the module already carries the sort
//! (`crate::sorting`), and a map would add about 5 KB gzip to it.

/// Names with their positions, sorted by name, then position.
pub struct Names<'a>(Vec<(&'a [u8], usize)>);

impl<'a> Names<'a> {
    pub fn new(names: impl Iterator<Item = &'a [u8]>) -> Names<'a> {
        let names: Vec<&[u8]> = names.collect();
        let order = crate::sorting::order(names.len(), &|a, b| {
            names.get(a).cmp(&names.get(b)).then(a.cmp(&b))
        });
        Names(
            order
                .into_iter()
                .filter_map(|i| names.get(i).map(|name| (*name, i)))
                .collect(),
        )
    }

    /// Where `name` first appears.
    pub fn position(&self, name: &[u8]) -> Option<usize> {
        let at = self.0.partition_point(|(n, _)| *n < name);
        self.0.get(at).filter(|(n, _)| *n == name).map(|(_, i)| *i)
    }

    /// The first position whose name appeared before it.
    pub fn first_repeat(&self) -> Option<usize> {
        self.0
            .windows(2)
            .filter_map(|pair| match pair {
                [(a, _), (b, i)] if a == b => Some(*i),
                _ => None,
            })
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_positions_and_the_first_repeat() {
        let list = ["b", "a", "c", "a", "b", "a"];
        let names = Names::new(list.iter().map(|s| s.as_bytes()));
        assert_eq!(names.position(b"a"), Some(1));
        assert_eq!(names.position(b"b"), Some(0));
        assert_eq!(names.position(b"c"), Some(2));
        assert_eq!(names.position(b"d"), None);
        assert_eq!(names.first_repeat(), Some(3));
        let unique = Names::new(["x", "y"].iter().map(|s| s.as_bytes()));
        assert_eq!(unique.first_repeat(), None);
        assert_eq!(Names::new(core::iter::empty()).first_repeat(), None);
    }
}
