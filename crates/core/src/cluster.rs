//! Grouping pins that would overlap at the current zoom.
//!
//! Points are projected once per feed ([`Projected`]); every view change then
//! groups only the points inside the view, so the work per pan or zoom is one
//! pass over the in-view points and nothing crosses to JavaScript but what is drawn.

use crate::geo::{project, unproject, Bounds};
use crate::model::LatLng;
use rustc_hash::FxHashMap as HashMap;

/// Pins closer than this many screen pixels merge.
pub const CELL_PX: f64 = 56.0;
/// From this zoom on, every pin is drawn on its own.
pub const MAX_CLUSTER_ZOOM: f64 = 16.0;

/// A point ready for clustering: the index of its activity and its Mercator position.
#[derive(Debug, Clone, Copy)]
pub struct Projected {
    pub index: u32,
    pub x: f64,
    pub y: f64,
}

impl Projected {
    pub fn new(index: usize, p: LatLng) -> Self {
        let (x, y) = project(p);
        Projected {
            index: index as u32,
            x,
            y,
        }
    }
}

/// What to draw: a single pin or a group of several.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    Pin {
        index: u32,
        at: LatLng,
    },
    Cluster {
        count: usize,
        at: LatLng,
        bounds: Bounds,
        members: Vec<u32>,
    },
}

/// Cluster the points that fall inside `view` at `zoom`.
///
/// Greedy, like supercluster at one zoom: points are bucketed into a grid of
/// cells one radius wide; each point not yet taken starts a group and takes every
/// free point within the radius from the 3×3 cells around it. One pass, no overlaps
/// between a group's seed and its neighbours' members.
pub fn cluster(points: &[Projected], view: Bounds, zoom: f64) -> Vec<Mark> {
    let in_view = within(view);
    let inside: Vec<&Projected> = points.iter().filter(|p| in_view(p.x, p.y)).collect();
    if zoom >= MAX_CLUSTER_ZOOM {
        return inside.into_iter().map(pin).collect();
    }
    let r = CELL_PX / (256.0 * crate::math::exp2(zoom.floor()));
    let cell_of = |p: &Projected| ((p.x / r).floor() as i64, (p.y / r).floor() as i64);
    let mut grid: HashMap<(i64, i64), Vec<usize>> =
        HashMap::with_capacity_and_hasher(inside.len(), Default::default());
    for (i, p) in inside.iter().enumerate() {
        grid.entry(cell_of(p)).or_default().push(i);
    }
    let mut taken = vec![false; inside.len()];
    let mut marks = Vec::new();
    for (i, seed) in inside.iter().enumerate() {
        if taken[i] {
            continue;
        }
        let (cx, cy) = cell_of(seed);
        let mut members: Vec<usize> = Vec::new();
        for gx in cx - 1..=cx + 1 {
            for gy in cy - 1..=cy + 1 {
                for &j in grid.get(&(gx, gy)).map(Vec::as_slice).unwrap_or_default() {
                    let q = inside[j];
                    if !taken[j] && (q.x - seed.x).powi(2) + (q.y - seed.y).powi(2) <= r * r {
                        taken[j] = true;
                        members.push(j);
                    }
                }
            }
        }
        marks.push(group(&inside, &members));
    }
    marks
}

/// Which cell of a [`Tally`] a mark stands for: the zoom and the cell's column and row
/// (or, where every pin stands alone, `i32::MAX` and the point's activity index).
pub type CellKey = (i32, i64, i64);

/// A quicker grouping for a set of points that keeps growing (a feed still arriving):
/// points are counted into grid cells one radius wide, each point once per zoom, and
/// each cell is drawn as one mark at its points' centre. Unlike [`cluster`], two
/// groups can sit a little closer than the radius across a cell edge, and a group
/// lists no `members`.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    zoom: Option<i32>,
    /// How many of the points have been counted at `zoom`.
    counted: usize,
    cells: HashMap<(i64, i64), Cell>,
}

#[derive(Debug, Clone, Copy)]
struct Cell {
    count: usize,
    sx: f64,
    sy: f64,
    /// The first point counted here, drawn as a pin while it is alone.
    first: u32,
    min: (f64, f64),
    max: (f64, f64),
}

impl Tally {
    /// The marks inside `view` at `zoom` for `points`, which may have grown since the
    /// last call (only the new ones are counted) but must otherwise be the same.
    pub fn marks(&mut self, points: &[Projected], view: Bounds, zoom: f64) -> Vec<Mark> {
        self.keyed_marks(points, view, zoom)
            .into_iter()
            .map(|(_, m)| m)
            .collect()
    }

    /// The same marks, each with the key of the cell it stands for, which stays the
    /// same while more points arrive (so a drawn mark can be updated, not rebuilt).
    pub fn keyed_marks(
        &mut self,
        points: &[Projected],
        view: Bounds,
        zoom: f64,
    ) -> Vec<(CellKey, Mark)> {
        let z = zoom.floor() as i32;
        if self.zoom != Some(z) || points.len() < self.counted {
            *self = Tally {
                zoom: Some(z),
                ..Tally::default()
            };
        }
        let inside = within(view);
        if zoom >= MAX_CLUSTER_ZOOM {
            return points
                .iter()
                .filter(|p| inside(p.x, p.y))
                .map(|p| ((i32::MAX, i64::from(p.index), 0), pin(p)))
                .collect();
        }
        let r = CELL_PX / (256.0 * 2f64.powi(z));
        for p in &points[self.counted..] {
            let key = ((p.x / r).floor() as i64, (p.y / r).floor() as i64);
            let c = self.cells.entry(key).or_insert(Cell {
                count: 0,
                sx: 0.0,
                sy: 0.0,
                first: p.index,
                min: (p.x, p.y),
                max: (p.x, p.y),
            });
            c.count += 1;
            c.sx += p.x;
            c.sy += p.y;
            c.min = (c.min.0.min(p.x), c.min.1.min(p.y));
            c.max = (c.max.0.max(p.x), c.max.1.max(p.y));
        }
        self.counted = points.len();
        self.cells
            .iter()
            .filter_map(|(&(cx, cy), c)| {
                let n = c.count as f64;
                let (x, y) = (c.sx / n, c.sy / n);
                if !inside(x, y) {
                    return None;
                }
                Some((
                    (z, cx, cy),
                    if c.count == 1 {
                        Mark::Pin {
                            index: c.first,
                            at: unproject(x, y),
                        }
                    } else {
                        let (sw, ne) = (unproject(c.min.0, c.max.1), unproject(c.max.0, c.min.1));
                        Mark::Cluster {
                            count: c.count,
                            at: unproject(x, y),
                            bounds: Bounds {
                                south: sw.lat,
                                west: sw.lng,
                                north: ne.lat,
                                east: ne.lng,
                            },
                            members: Vec::new(),
                        }
                    },
                ))
            })
            .collect()
    }
}

fn group(inside: &[&Projected], members: &[usize]) -> Mark {
    if let [only] = members {
        return pin(inside[*only]);
    }
    let (mut sx, mut sy) = (0.0, 0.0);
    let (mut minx, mut miny, mut maxx, mut maxy) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &j in members {
        let p = inside[j];
        sx += p.x;
        sy += p.y;
        minx = minx.min(p.x);
        miny = miny.min(p.y);
        maxx = maxx.max(p.x);
        maxy = maxy.max(p.y);
    }
    let n = members.len() as f64;
    let (sw, ne) = (unproject(minx, maxy), unproject(maxx, miny));
    Mark::Cluster {
        count: members.len(),
        at: unproject(sx / n, sy / n),
        bounds: Bounds {
            south: sw.lat,
            west: sw.lng,
            north: ne.lat,
            east: ne.lng,
        },
        members: members.iter().map(|&j| inside[j].index).collect(),
    }
}

/// Whether a projected point lies inside `view`.
fn within(view: Bounds) -> impl Fn(f64, f64) -> bool {
    let (x0, y1) = project(LatLng {
        lat: view.south,
        lng: view.west,
    });
    let (x1, y0) = project(LatLng {
        lat: view.north,
        lng: view.east,
    });
    move |x, y| x >= x0 && x <= x1 && y >= y0 && y <= y1
}

fn pin(p: &Projected) -> Mark {
    Mark::Pin {
        index: p.index,
        at: unproject(p.x, p.y),
    }
}

/// A tap this near a pin's centre, in CSS pixels, presses it: a 44 px target, as an
/// element pin's (30 px across, with the space around it).
pub const TAP_RADIUS: f64 = 22.0;

/// The pin a tap at `tap` presses, of `pins` (index, where it is on screen): the
/// nearest whose centre is within [`TAP_RADIUS`], the first of equals.
pub fn pressed(pins: impl IntoIterator<Item = (u32, (f64, f64))>, tap: (f64, f64)) -> Option<u32> {
    let mut best: Option<(u32, f64)> = None;
    for (index, (x, y)) in pins {
        let d = crate::math::hypot(x - tap.0, y - tap.1);
        if d <= TAP_RADIUS && best.is_none_or(|(_, b)| d < b) {
            best = Some((index, d));
        }
    }
    best.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(list: &[(f64, f64)]) -> Vec<Projected> {
        list.iter()
            .enumerate()
            .map(|(i, &(lat, lng))| Projected::new(i, LatLng { lat, lng }))
            .collect()
    }

    const ENGLAND: Bounds = Bounds {
        south: 49.8,
        west: -6.5,
        north: 55.9,
        east: 1.8,
    };

    #[test]
    fn near_points_merge_far_points_do_not() {
        // Two pins 100 m apart in Great Yarmouth and one in Manchester.
        let p = pts(&[(52.6070, 1.7370), (52.6079, 1.7372), (53.4808, -2.2426)]);
        let marks = cluster(&p, ENGLAND, 7.0);
        assert_eq!(marks.len(), 2);
        let counts: Vec<usize> = marks
            .iter()
            .map(|m| match m {
                Mark::Cluster { count, .. } => *count,
                Mark::Pin { .. } => 1,
            })
            .collect();
        assert_eq!(counts, vec![2, 1]);
        // Zoomed right in, all three stand alone.
        assert_eq!(cluster(&p, ENGLAND, 17.0).len(), 3);
    }

    #[test]
    fn only_points_in_view_are_returned() {
        let p = pts(&[(52.6, 1.7), (53.48, -2.24)]);
        let yarmouth = Bounds {
            south: 52.5,
            west: 1.6,
            north: 52.7,
            east: 1.8,
        };
        let marks = cluster(&p, yarmouth, 12.0);
        assert!(matches!(marks.as_slice(), [Mark::Pin { index: 0, .. }]));
    }

    /// Counts of the marks, pins counting one.
    fn total(marks: &[Mark]) -> usize {
        marks
            .iter()
            .map(|m| match m {
                Mark::Cluster { count, .. } => *count,
                Mark::Pin { .. } => 1,
            })
            .sum()
    }

    /// The points of a generated feed.
    fn generated(count: usize, seed: u64) -> Vec<Projected> {
        crate::feed::generate::activities(count, seed)
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.point().map(|q| Projected::new(i, q)))
            .collect()
    }

    #[test]
    fn a_tally_cell_keeps_its_key_as_points_arrive() {
        let p = generated(1000, 5);
        let mut tally = Tally::default();
        let view = ENGLAND.padded(0.5);
        let count = |m: &Mark| match m {
            Mark::Cluster { count, .. } => *count,
            Mark::Pin { .. } => 1,
        };
        let before: HashMap<CellKey, usize> = tally
            .keyed_marks(&p[..300], view, 7.0)
            .iter()
            .map(|(k, m)| (*k, count(m)))
            .collect();
        let after: HashMap<CellKey, usize> = tally
            .keyed_marks(&p, view, 7.0)
            .iter()
            .map(|(k, m)| (*k, count(m)))
            .collect();
        // Keys are unique, every earlier cell is still there and never holds fewer.
        assert_eq!(before.values().sum::<usize>(), 300);
        assert_eq!(after.values().sum::<usize>(), p.len());
        for (k, n) in &before {
            assert!(after.get(k).is_some_and(|m| m >= n), "cell {k:?}");
        }
        assert!(after.len() > before.len());
        // Past the last clustering zoom each pin is keyed by its own activity.
        let pins = tally.keyed_marks(&p[..50], view, MAX_CLUSTER_ZOOM);
        assert!(pins.iter().all(
            |(k, m)| matches!(m, Mark::Pin { index, .. } if *k == (i32::MAX, i64::from(*index), 0))
        ));
    }

    #[test]
    fn a_tally_counts_each_point_once_as_points_arrive() {
        let p = generated(2000, 3);
        let mut tally = Tally::default();
        for end in [0, 1, 10, 500, 1999, 2000] {
            let end = end.min(p.len());
            let marks = tally.marks(&p[..end], ENGLAND.padded(0.5), 6.0);
            assert_eq!(total(&marks), end);
            // The same as counting them all at once.
            let mut fresh = Tally::default();
            assert_eq!(
                total(&fresh.marks(&p[..end], ENGLAND.padded(0.5), 6.0)),
                end
            );
        }
        // A new zoom counts afresh; groups are smaller, the total the same.
        let at9 = tally.marks(&p, ENGLAND.padded(0.5), 9.0);
        assert_eq!(total(&at9), p.len());
        assert!(at9.len() > tally.marks(&p, ENGLAND.padded(0.5), 6.0).len());
        // Only what is in view is returned; a lone point is a pin of its own index.
        let one = pts(&[(52.6, 1.7), (53.48, -2.24)]);
        let yarmouth = Bounds {
            south: 52.5,
            west: 1.6,
            north: 52.7,
            east: 1.8,
        };
        let marks = Tally::default().marks(&one, yarmouth, 12.0);
        assert!(matches!(marks.as_slice(), [Mark::Pin { index: 0, .. }]));
    }

    #[test]
    fn cluster_bounds_hold_their_members() {
        let p = pts(&[(52.60, 1.70), (52.61, 1.71), (52.605, 1.705)]);
        let marks = cluster(&p, ENGLAND, 5.0);
        let Mark::Cluster {
            bounds, members, ..
        } = &marks[0]
        else {
            panic!("expected a cluster")
        };
        assert_eq!(members.len(), 3);
        for q in &p {
            assert!(bounds.padded(1e-9).contains(unproject(q.x, q.y)));
        }
    }

    #[test]
    fn a_tap_presses_the_nearest_pin_within_22_px() {
        let pins = [
            (1, (100.0, 100.0)),
            (2, (130.0, 100.0)),
            (3, (300.0, 300.0)),
        ];
        assert_eq!(pressed(pins, (100.0, 100.0)), Some(1));
        // Between two, the nearer.
        assert_eq!(pressed(pins, (112.0, 100.0)), Some(1));
        assert_eq!(pressed(pins, (118.0, 100.0)), Some(2));
        // 22 px from a centre is on it; 23 px is not.
        assert_eq!(pressed(pins, (300.0, 322.0)), Some(3));
        assert_eq!(pressed(pins, (300.0, 323.0)), None);
        assert_eq!(pressed(pins, (200.0, 200.0)), None);
        assert_eq!(pressed([], (0.0, 0.0)), None);
    }
}
