//! Pins for a feed still arriving, before its catalog can be built.

use crate::cluster::Projected;
use crate::filter::{haystack, Filters, Today};
use crate::geo::{unproject, Bounds};
use crate::model::{builtin_colour, Activity};

/// The pins to show while a feed is still arriving, before the catalog can be built:
/// each activity read so far that the current filters keep, in its built-in
/// category's colour (grey for any other; the feed's own categories come with the
/// rest of the document).
#[derive(Debug, Default, Clone)]
pub struct Preview {
    /// Where each pin goes; `index` is its place in `colours`, not an activity index.
    pub points: Vec<Projected>,
    pub colours: Vec<&'static str>,
    /// How many activities have been read, shown or not; for a feed published as many
    /// pages, how many records its pages held.
    pub read: usize,
    /// Pages read so far of a feed published as many pages (0 for one document).
    pub pages: usize,
}

impl Preview {
    /// Take in the next activities read.
    pub fn add<'a>(
        &mut self,
        read: impl IntoIterator<Item = &'a Activity>,
        filters: &Filters,
        today: &Today,
    ) {
        let searching = !filters.search.trim().is_empty();
        for a in read {
            self.read += 1;
            let Some(p) = a.point() else { continue };
            let hay = if searching {
                haystack(a)
            } else {
                String::new()
            };
            if !filters.matches(a, &hay, today) {
                continue;
            }
            self.points.push(Projected::new(self.colours.len(), p));
            self.colours
                .push(builtin_colour(&a.category).unwrap_or(crate::feed::NEUTRAL_COLOUR));
        }
    }

    /// The area the pins so far cover.
    pub fn bounds(&self) -> Option<Bounds> {
        Bounds::around(self.points.iter().map(|p| unproject(p.x, p.y)))
    }
}
