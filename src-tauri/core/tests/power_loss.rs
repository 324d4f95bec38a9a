//! Power loss, simulated: a SQLite VFS wrapped around the real one records every write that
//! has not been made durable by a sync. At a chosen write the power is "cut" — that write and
//! all later I/O fail — and every write since each file's last sync is undone on disk, as a
//! machine losing its page cache would. Then the database is opened normally: `check` must
//! pass and the data must be exactly before or exactly after the operation. Cutting the power
//! after an operation returned keeps what it saved (`synchronous=FULL`).
//!
//! Operations: a 600-row roster import, a plan recomputation and a household added by hand,
//! each cut at many points through its writes.
#![cfg(unix)]

mod common;

use chrono::NaiveDate;
use common::sheets::{self, id};
use common::{fingerprint, fresh_copy};
use rusqlite::ffi;
use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::os::raw::{c_char, c_int, c_void};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

// ---------------------------------------------------------------------------------------
// The VFS.

/// What has been written to a file since its last sync: the bytes each write replaced, and
/// the file's size at the last sync.
#[derive(Default)]
struct Unsynced {
    size_at_sync: Option<i64>,
    undo: Vec<(i64, Vec<u8>)>,
}

#[derive(Default)]
struct State {
    /// Record unsynced writes and count writes (off: plain pass-through).
    armed: bool,
    writes: u64,
    /// Cut the power when the write counter reaches this.
    cut_at: Option<u64>,
    cut: bool,
    files: HashMap<String, Unsynced>,
}

static STATE: Mutex<Option<State>> = Mutex::new(None);

fn with_state<T>(f: impl FnOnce(&mut State) -> T) -> T {
    let mut g = STATE.lock().unwrap_or_else(|p| p.into_inner());
    f(g.get_or_insert_with(State::default))
}

/// Our file: SQLite's header, the file's name, then the real VFS's file.
#[repr(C)]
struct PlFile {
    base: ffi::sqlite3_file,
    name: *mut c_char,
}

const INNER_OFFSET: usize = {
    let s = std::mem::size_of::<PlFile>();
    (s + 15) & !15
};

static mut INNER_VFS: *mut ffi::sqlite3_vfs = std::ptr::null_mut();
static mut VFS: std::mem::MaybeUninit<ffi::sqlite3_vfs> = std::mem::MaybeUninit::uninit();
static mut METHODS: std::mem::MaybeUninit<ffi::sqlite3_io_methods> =
    std::mem::MaybeUninit::uninit();

unsafe fn inner(f: *mut ffi::sqlite3_file) -> *mut ffi::sqlite3_file {
    (f as *mut u8).add(INNER_OFFSET) as *mut ffi::sqlite3_file
}

unsafe fn im(f: *mut ffi::sqlite3_file) -> &'static ffi::sqlite3_io_methods {
    &*(*inner(f)).pMethods
}

unsafe fn name_of(f: *mut ffi::sqlite3_file) -> String {
    let p = (*(f as *mut PlFile)).name;
    if p.is_null() {
        String::new()
    } else {
        CStr::from_ptr(p).to_string_lossy().to_string()
    }
}

unsafe extern "C" fn x_close(f: *mut ffi::sqlite3_file) -> c_int {
    let rc = (im(f).xClose.unwrap())(inner(f));
    let pl = f as *mut PlFile;
    if !(*pl).name.is_null() {
        drop(CString::from_raw((*pl).name));
        (*pl).name = std::ptr::null_mut();
    }
    rc
}

unsafe extern "C" fn x_read(
    f: *mut ffi::sqlite3_file,
    buf: *mut c_void,
    amt: c_int,
    off: i64,
) -> c_int {
    (im(f).xRead.unwrap())(inner(f), buf, amt, off)
}

unsafe fn file_size(f: *mut ffi::sqlite3_file) -> i64 {
    let mut size: i64 = 0;
    (im(f).xFileSize.unwrap())(inner(f), &mut size);
    size
}

/// Before a write or truncate: cut the power if it is time; otherwise remember what the
/// change replaces. False when the power is off.
unsafe fn before_change(f: *mut ffi::sqlite3_file, off: i64, amt: i64) -> bool {
    let name = name_of(f);
    let (armed, cut) = with_state(|s| {
        if s.cut {
            return (s.armed, true);
        }
        if s.armed {
            s.writes += 1;
            if s.cut_at.is_some_and(|n| s.writes >= n) {
                s.cut = true;
            }
        }
        (s.armed, s.cut)
    });
    if cut {
        return false;
    }
    if !armed || name.is_empty() {
        return true;
    }
    let size = file_size(f);
    let old_len = (size - off).clamp(0, amt);
    let mut old = vec![0u8; old_len as usize];
    if old_len > 0 {
        (im(f).xRead.unwrap())(
            inner(f),
            old.as_mut_ptr() as *mut c_void,
            old_len as c_int,
            off,
        );
    }
    with_state(|s| {
        let u = s.files.entry(name).or_default();
        if u.size_at_sync.is_none() {
            u.size_at_sync = Some(size);
        }
        u.undo.push((off, old));
    });
    true
}

unsafe extern "C" fn x_write(
    f: *mut ffi::sqlite3_file,
    buf: *const c_void,
    amt: c_int,
    off: i64,
) -> c_int {
    if !before_change(f, off, amt as i64) {
        return ffi::SQLITE_IOERR_WRITE;
    }
    (im(f).xWrite.unwrap())(inner(f), buf, amt, off)
}

unsafe extern "C" fn x_truncate(f: *mut ffi::sqlite3_file, size: i64) -> c_int {
    let cur = file_size(f);
    if !before_change(f, size, (cur - size).max(0)) {
        return ffi::SQLITE_IOERR_TRUNCATE;
    }
    (im(f).xTruncate.unwrap())(inner(f), size)
}

unsafe extern "C" fn x_sync(f: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    if with_state(|s| s.cut) {
        return ffi::SQLITE_IOERR_FSYNC;
    }
    let rc = (im(f).xSync.unwrap())(inner(f), flags);
    if rc == ffi::SQLITE_OK {
        let name = name_of(f);
        with_state(|s| {
            s.files.remove(&name);
        });
    }
    rc
}

unsafe extern "C" fn x_file_size(f: *mut ffi::sqlite3_file, p: *mut i64) -> c_int {
    (im(f).xFileSize.unwrap())(inner(f), p)
}
unsafe extern "C" fn x_lock(f: *mut ffi::sqlite3_file, l: c_int) -> c_int {
    (im(f).xLock.unwrap())(inner(f), l)
}
unsafe extern "C" fn x_unlock(f: *mut ffi::sqlite3_file, l: c_int) -> c_int {
    (im(f).xUnlock.unwrap())(inner(f), l)
}
unsafe extern "C" fn x_check_reserved(f: *mut ffi::sqlite3_file, p: *mut c_int) -> c_int {
    (im(f).xCheckReservedLock.unwrap())(inner(f), p)
}
unsafe extern "C" fn x_file_control(f: *mut ffi::sqlite3_file, op: c_int, a: *mut c_void) -> c_int {
    (im(f).xFileControl.unwrap())(inner(f), op, a)
}
unsafe extern "C" fn x_sector_size(f: *mut ffi::sqlite3_file) -> c_int {
    (im(f).xSectorSize.unwrap())(inner(f))
}
unsafe extern "C" fn x_device(f: *mut ffi::sqlite3_file) -> c_int {
    (im(f).xDeviceCharacteristics.unwrap())(inner(f))
}
unsafe extern "C" fn x_shm_map(
    f: *mut ffi::sqlite3_file,
    pg: c_int,
    sz: c_int,
    ext: c_int,
    pp: *mut *mut c_void,
) -> c_int {
    (im(f).xShmMap.unwrap())(inner(f), pg, sz, ext, pp)
}
unsafe extern "C" fn x_shm_lock(f: *mut ffi::sqlite3_file, o: c_int, n: c_int, fl: c_int) -> c_int {
    (im(f).xShmLock.unwrap())(inner(f), o, n, fl)
}
unsafe extern "C" fn x_shm_barrier(f: *mut ffi::sqlite3_file) {
    (im(f).xShmBarrier.unwrap())(inner(f))
}
unsafe extern "C" fn x_shm_unmap(f: *mut ffi::sqlite3_file, d: c_int) -> c_int {
    (im(f).xShmUnmap.unwrap())(inner(f), d)
}

unsafe extern "C" fn x_open(
    _vfs: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    f: *mut ffi::sqlite3_file,
    flags: c_int,
    out: *mut c_int,
) -> c_int {
    let pl = f as *mut PlFile;
    (*pl).base.pMethods = std::ptr::null();
    (*pl).name = std::ptr::null_mut();
    let rc = ((*INNER_VFS).xOpen.unwrap())(INNER_VFS, name, inner(f), flags, out);
    if rc == ffi::SQLITE_OK && !(*inner(f)).pMethods.is_null() {
        (*pl).base.pMethods = (&raw const METHODS) as *const ffi::sqlite3_io_methods;
        if !name.is_null() {
            (*pl).name = CStr::from_ptr(name).to_owned().into_raw();
        }
    }
    rc
}

unsafe extern "C" fn x_delete(
    _v: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    sync: c_int,
) -> c_int {
    ((*INNER_VFS).xDelete.unwrap())(INNER_VFS, name, sync)
}
unsafe extern "C" fn x_access(
    _v: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    flags: c_int,
    out: *mut c_int,
) -> c_int {
    ((*INNER_VFS).xAccess.unwrap())(INNER_VFS, name, flags, out)
}
unsafe extern "C" fn x_full_pathname(
    _v: *mut ffi::sqlite3_vfs,
    name: *const c_char,
    n: c_int,
    out: *mut c_char,
) -> c_int {
    ((*INNER_VFS).xFullPathname.unwrap())(INNER_VFS, name, n, out)
}

/// Registers the wrapper as the default VFS (once per process).
fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| unsafe {
        ffi::sqlite3_initialize();
        INNER_VFS = ffi::sqlite3_vfs_find(std::ptr::null());
        assert!(!INNER_VFS.is_null());
        let mut v: ffi::sqlite3_vfs = std::ptr::read(INNER_VFS);
        v.szOsFile = (INNER_OFFSET + (*INNER_VFS).szOsFile as usize) as c_int;
        v.pNext = std::ptr::null_mut();
        v.zName = c"powerloss".as_ptr();
        v.xOpen = Some(x_open);
        v.xDelete = Some(x_delete);
        v.xAccess = Some(x_access);
        v.xFullPathname = Some(x_full_pathname);
        (&raw mut VFS).write(std::mem::MaybeUninit::new(v));
        let m = ffi::sqlite3_io_methods {
            iVersion: 2,
            xClose: Some(x_close),
            xRead: Some(x_read),
            xWrite: Some(x_write),
            xTruncate: Some(x_truncate),
            xSync: Some(x_sync),
            xFileSize: Some(x_file_size),
            xLock: Some(x_lock),
            xUnlock: Some(x_unlock),
            xCheckReservedLock: Some(x_check_reserved),
            xFileControl: Some(x_file_control),
            xSectorSize: Some(x_sector_size),
            xDeviceCharacteristics: Some(x_device),
            xShmMap: Some(x_shm_map),
            xShmLock: Some(x_shm_lock),
            xShmBarrier: Some(x_shm_barrier),
            xShmUnmap: Some(x_shm_unmap),
            xFetch: None,
            xUnfetch: None,
        };
        (&raw mut METHODS).write(std::mem::MaybeUninit::new(m));
        let rc = ffi::sqlite3_vfs_register((&raw mut VFS) as *mut ffi::sqlite3_vfs, 1);
        assert_eq!(rc, ffi::SQLITE_OK);
    });
}

/// Arms the recorder: the power is cut at write `cut_at` (never when None).
fn arm(cut_at: Option<u64>) {
    with_state(|s| {
        *s = State {
            armed: true,
            cut_at,
            ..State::default()
        }
    });
}

/// The power goes off now (if it has not yet): every write since each file's last sync is
/// undone on disk; the shared-memory index, which lives in the page cache, is gone. Returns
/// the writes counted and how many files lost unsynced writes.
fn power_off() -> (u64, usize) {
    let (writes, files) = with_state(|s| {
        let files = std::mem::take(&mut s.files);
        let w = s.writes;
        *s = State::default();
        (w, files)
    });
    let mut lost = 0;
    for (name, u) in files {
        if u.undo.is_empty() {
            continue;
        }
        lost += 1;
        let Ok(mut file) = std::fs::OpenOptions::new().write(true).open(&name) else {
            continue;
        };
        use std::io::{Seek, SeekFrom, Write};
        for (off, old) in u.undo.iter().rev() {
            file.seek(SeekFrom::Start(*off as u64)).unwrap();
            file.write_all(old).unwrap();
        }
        if let Some(size) = u.size_at_sync {
            file.set_len(size as u64).unwrap();
        }
    }
    (writes, lost)
}

// ---------------------------------------------------------------------------------------
// The test.

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

type Op = dyn Fn(&minqing_core::Store) -> minqing_core::Result<()>;

/// Runs `op` on copies of `base`, cutting the power at `points` writes (and once after it
/// returned); each time the data must be whole and exactly before or after. Returns
/// (runs cut mid-way, runs that lost unsynced writes).
fn cut_runs(name: &str, base: &Path, op: &Op, points: usize) -> (usize, usize) {
    let dir = base.parent().unwrap();
    let db = dir.join(format!("{name}.db"));
    let before = fingerprint(base);
    // Once through without a cut: its "after" and how many writes it makes.
    fresh_copy(base, &db);
    arm(None);
    {
        let store = minqing_core::Store::open(&db).unwrap();
        op(&store).unwrap();
    }
    let (total, _) = power_off();
    // The power cut just after the operation returned keeps what it saved.
    let after = fingerprint(&db);
    assert_ne!(before, after, "{name} changes the data");
    assert!(total > 10, "{name}: {total} writes");
    let mut cut = 0;
    let mut lost = 0;
    let step = (total as usize / points).max(1);
    let mut at: Vec<u64> = (1..=total).step_by(step).collect();
    at.push(total + 1);
    for n in at {
        fresh_copy(base, &db);
        arm(Some(n));
        let result = {
            let store = minqing_core::Store::open(&db);
            match store {
                Ok(store) => op(&store).map(|_| ()),
                Err(e) => Err(e),
            }
        };
        let (_, files) = power_off();
        let _ = std::fs::remove_file(format!("{}-shm", db.display()));
        if result.is_err() {
            cut += 1;
        }
        if files > 0 {
            lost += 1;
        }
        let store = minqing_core::Store::open(&db)
            .unwrap_or_else(|e| panic!("{name}, power cut at write 600: cannot open: {e}"));
        let report = store.check().unwrap();
        assert!(
            report.ok,
            "{name}, power cut at write 600: check failed: {report:?}"
        );
        drop(store);
        let fp = fingerprint(&db);
        match result {
            // It returned: what it saved must still be there.
            Ok(()) => assert_eq!(
                fp, after,
                "{name}, power cut after write 600: saved data lost"
            ),
            Err(_) => assert!(
                fp == before || fp == after,
                "{name}, power cut at write 600: the data is neither before nor after"
            ),
        }
    }
    (cut, lost)
}

#[test]
fn a_power_cut_at_any_write_leaves_the_data_exactly_before_or_after() {
    install();
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.db");
    {
        let store = minqing_core::Store::open(&base).unwrap();
        minqing_core::demo::generate(
            &store,
            &minqing_core::demo::DemoOptions {
                households: 300,
                ..Default::default()
            },
            d("2026-03-02"),
            |_, _| true,
        )
        .unwrap();
        let cycle = minqing_core::plan::store::create_cycle(
            &store,
            &minqing_core::plan::store::CycleInput::new("一季度", d("2026-03-02"), d("2026-03-31")),
        )
        .unwrap()
        .id;
        minqing_core::plan::store::compute_plan(&store, cycle, false).unwrap();
    }
    let roster: PathBuf = dir.path().join("花名册.xlsx");
    sheets::xlsx(&roster, &[sheets::plain_roster(600, "李四", "198", "137")]);

    let import = move |store: &minqing_core::Store| -> minqing_core::Result<()> {
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let book = minqing_core::roster::read::read_file(&roster, &mut |_| {}, &cancel)?;
        let mut o =
            minqing_core::roster::ImportOptions::new(minqing_core::roster::ImportKind::Households);
        o.create_missing = true;
        o.skip_bad = true;
        minqing_core::roster::run_import(store, &book, &o, d("2026-03-02"), &mut |_| {}, &cancel)?;
        Ok(())
    };
    let recompute = |store: &minqing_core::Store| -> minqing_core::Result<()> {
        minqing_core::plan::store::compute_plan(store, 1, false)?;
        Ok(())
    };
    let add = |store: &minqing_core::Store| -> minqing_core::Result<()> {
        let (v, g): (i64, i64) = store.read(|c| {
            Ok(c.query_row(
                "SELECT village_id, id FROM village_groups ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })?;
        minqing_core::register::households::add_household(
            store,
            &minqing_core::register::households::HouseholdInput {
                village_id: v,
                group_id: g,
                head_name: "王五".into(),
                id_number: id("32130219700101999"),
                phone: "13900001111".into(),
                address: "新河村1号".into(),
                size: Some(3),
                status: minqing_core::register::HouseholdStatus::Registered,
                tag_ids: vec![],
                note: String::new(),
            },
            d("2026-03-02"),
        )?;
        Ok(())
    };
    let mut total_cut = 0;
    let mut total_lost = 0;
    for (name, op, points) in [
        ("import", &import as &Op, 60),
        ("recompute", &recompute as &Op, 60),
        ("add", &add as &Op, 40),
    ] {
        let (cut, lost) = cut_runs(name, &base, op, points);
        eprintln!("{name}: {cut} runs cut mid-way, {lost} lost unsynced writes");
        assert!(cut > points / 2, "{name}: only {cut} runs were cut mid-way");
        total_cut += cut;
        total_lost += lost;
    }
    eprintln!("power cuts: {total_cut} mid-way, {total_lost} with unsynced writes thrown away");
    assert!(
        total_lost > 50,
        "the cuts really threw writes away: {total_lost}"
    );
}
