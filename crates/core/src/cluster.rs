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
    let (x0, y1) = project(LatLng {
        lat: view.south,
        lng: view.west,
    });
    let (x1, y0) = project(LatLng {
        lat: view.north,
        lng: view.east,
    });
    let inside: Vec<&Projected> = points
        .iter()
        .filter(|p| p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1)
        .collect();
    if zoom >= MAX_CLUSTER_ZOOM {
        return inside.into_iter().map(pin).collect();
    }
    let r = CELL_PX / (256.0 * 2f64.powf(zoom.floor()));
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

fn pin(p: &Projected) -> Mark {
    Mark::Pin {
        index: p.index,
        at: unproject(p.x, p.y),
    }
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
}
