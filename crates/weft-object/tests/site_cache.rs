//! Per-instruction specialization caches: an entry answers only for the version it was filled
//! for, backoff grows exponentially and resets on success, and readers racing with writers
//! that refill the entry with new objects see a consistent (version, data, object) triple,
//! never a torn one or a freed object.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use weft_object::site_cache::{MAX_BACKOFF, Site};
use weft_object::str_obj;
use weft_object::types::PyStr;

#[test]
fn an_entry_answers_only_for_its_version() {
    let _g = weft_refcount::attach();
    let s = Site::new();
    assert!(s.read(7).is_none() && s.read_data(7).is_none());
    s.fill(7, 42, None);
    assert_eq!(s.read_data(7), Some(42));
    let hit = s.read(7).expect("filled for 7");
    assert_eq!(hit.data, 42);
    assert!(hit.value.is_none());
    assert!(s.read(8).is_none() && s.read_data(6).is_none());
    assert!(s.read(0).is_none(), "version 0 never matches");
    s.fill(9, 1, Some(str_obj("f")));
    assert!(s.read(7).is_none());
    let hit = s.read(9).expect("refilled for 9");
    assert_eq!(hit.data, 1);
    let v = hit.value.expect("the entry's object");
    assert_eq!(v.downcast::<PyStr>().unwrap().as_str(), "f");
    s.clear();
    assert!(s.read(9).is_none());
    assert_eq!(s.version(), 0);
}

#[test]
fn backoff_doubles_up_to_the_maximum_and_a_fill_resets_it() {
    let _g = weft_refcount::attach();
    let s = Site::new();
    // Attempts come on the second miss at first.
    assert!(!s.should_specialize());
    assert!(s.should_specialize());
    let mut waits = Vec::new();
    for _ in 0..16 {
        s.backoff();
        let mut n = 0;
        while !s.should_specialize() {
            n += 1;
        }
        waits.push(n);
    }
    assert_eq!(&waits[..4], &[1, 3, 7, 15]);
    assert_eq!(*waits.last().unwrap(), MAX_BACKOFF - 1);
    s.fill(1, 0, None);
    assert!(!s.should_specialize());
    assert!(s.should_specialize());
}

#[test]
fn readers_racing_with_refills_see_whole_entries_only() {
    // The writer fills version `i` with data `i` and the object "v{i}"; a reader that gets a
    // hit for version `i` must see exactly that data and that object.
    const WRITES: u32 = 3_000;
    let site = Arc::new(Site::new());
    let current = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (site, current, stop, started) =
                (site.clone(), current.clone(), stop.clone(), started.clone());
            std::thread::spawn(move || {
                let g = weft_refcount::attach();
                started.fetch_add(1, Ordering::AcqRel);
                let (mut reads, mut hits) = (0usize, 0usize);
                loop {
                    for _ in 0..100 {
                        let want = current.load(Ordering::Acquire);
                        for version in [want, want.wrapping_sub(1)] {
                            if let Some(hit) = site.read(version) {
                                assert_eq!(hit.data, version, "data of another fill");
                                let v = hit.value.expect("every fill has an object");
                                let s = v.downcast::<PyStr>().expect("a str").as_str();
                                assert_eq!(s, format!("v{version}"), "object of another fill");
                                hits += 1;
                            }
                        }
                        reads += 1;
                    }
                    g.check_point();
                    // Sleep detached, so the writer gets the GIL in the gil build (its
                    // hand-over is not fair yet, and a reader that only yields can starve it).
                    weft_refcount::blocking(|| {
                        std::thread::sleep(std::time::Duration::from_micros(50))
                    });
                    if stop.load(Ordering::Acquire) {
                        // The last fill is for the last version published: it must hit.
                        let last = current.load(Ordering::Acquire);
                        assert_eq!(site.read(last).map(|h| h.data), Some(last));
                        hits += 1;
                        break;
                    }
                }
                (reads, hits)
            })
        })
        .collect();
    while started.load(Ordering::Acquire) < 2 {
        std::thread::yield_now();
    }
    {
        let g = weft_refcount::attach();
        for i in 1..=WRITES {
            site.fill(i, i, Some(str_obj(format!("v{i}"))));
            current.store(i, Ordering::Release);
            if i % 50 == 0 {
                g.check_point();
                weft_refcount::blocking(|| {
                    std::thread::sleep(std::time::Duration::from_micros(50))
                });
            }
        }
    }
    stop.store(true, Ordering::Release);
    let (mut total, mut total_hits) = (0, 0);
    for r in readers {
        let (reads, hits) = r.join().unwrap();
        total += reads;
        total_hits += hits;
    }
    assert!(
        total > 0 && total_hits > 0,
        "{total} reads, {total_hits} hits"
    );
    let _g = weft_refcount::attach();
    assert_eq!(site.read_data(WRITES), Some(WRITES));
}
