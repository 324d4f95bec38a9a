//! The window on the coordinator's screen, and what the app says when it cannot open one.
//!
//! Township PCs often have 1366×768 screens, or 1920×1080 at 125 % (1536×864 logical, about 824
//! high above the taskbar). The window is designed for 1360×860; on a smaller work area it is
//! maximised, and whatever the window-state plugin restored (a position from a larger monitor,
//! a size that no longer fits) is brought back inside the work area, its title bar visible.

use tauri::{PhysicalPosition, PhysicalSize, WebviewWindow};

/// A rectangle on the screen, in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

/// Where the window goes, given the monitor's work area (screen minus taskbar) and the
/// window's outer rectangle: `None` to leave it, `Some((rect, maximise))` otherwise.
pub fn placement(work: Rect, window: Rect) -> Option<(Rect, bool)> {
    if window.width > work.width || window.height > work.height {
        // Larger than the screen: fill the work area (and maximise, where a window manager
        // can), so no part of a form is out of reach.
        return Some((work, true));
    }
    let right = work.x + work.width as i32;
    let bottom = work.y + work.height as i32;
    let inside = window.x >= work.x
        && window.y >= work.y
        && window.x + window.width as i32 <= right
        && window.y + window.height as i32 <= bottom;
    if inside {
        return None;
    }
    // Partly off the work area (a position restored from another monitor, or centred on the
    // whole screen under a taskbar): centred in the work area instead.
    Some((
        Rect {
            x: work.x + (work.width - window.width) as i32 / 2,
            y: work.y + (work.height - window.height) as i32 / 2,
            ..window
        },
        false,
    ))
}

/// The main window as the window-state plugin remembered it (its `.window-state.json` in the
/// app's config folder), unless it was maximised. Read here because right after the plugin
/// restores it, GTK still reports the window where it was created.
fn remembered(w: &WebviewWindow) -> Option<Rect> {
    use tauri::Manager;
    let file = w
        .app_handle()
        .path()
        .app_config_dir()
        .ok()?
        .join(".window-state.json");
    let all: serde_json::Value = serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
    let s = all.get(w.label())?;
    if s.get("maximized").and_then(|m| m.as_bool()) == Some(true) {
        return None;
    }
    let int = |k: &str| s.get(k).and_then(|v| v.as_i64());
    Some(Rect {
        x: int("x")? as i32,
        y: int("y")? as i32,
        width: u32::try_from(int("width")?).ok()?,
        height: u32::try_from(int("height")?).ok()?,
    })
}

pub fn fit_to_screen(w: &WebviewWindow) {
    let monitor = w
        .current_monitor()
        .ok()
        .flatten()
        .or_else(|| w.primary_monitor().ok().flatten());
    // The inner size: before the window is first shown GTK reports a bogus outer size (a
    // frame not yet known), and on Windows the frame is what maximising takes care of.
    let (Some(monitor), Ok(pos), Ok(size)) = (monitor, w.outer_position(), w.inner_size()) else {
        return;
    };
    let area = monitor.work_area();
    let work = Rect {
        x: area.position.x,
        y: area.position.y,
        width: area.size.width,
        height: area.size.height,
    };
    let window = remembered(w).unwrap_or(Rect {
        x: pos.x,
        y: pos.y,
        width: size.width,
        height: size.height,
    });
    if let Some((to, maximise)) = placement(work, window) {
        log::info!(
            "窗口 {}×{}（{}, {}）超出屏幕工作区 {}×{}，调整为 {}×{}（{}, {}）{}",
            window.width,
            window.height,
            window.x,
            window.y,
            work.width,
            work.height,
            to.width,
            to.height,
            to.x,
            to.y,
            if maximise { "并最大化" } else { "" }
        );
        let _ = w.set_position(PhysicalPosition::new(to.x, to.y));
        if to.width != window.width || to.height != window.height {
            // Where no window manager maximises (or before it does), the window at least
            // covers the work area and no more.
            let _ = w.set_size(PhysicalSize::new(to.width, to.height));
        }
        if maximise {
            let _ = w.maximize();
        }
    }
}

/// Windows: the WebView2 runtime the window needs is missing — said in Chinese with what to do.
#[cfg(windows)]
pub fn webview_missing() -> Result<(), String> {
    match tauri::webview_version() {
        Ok(_) => Ok(()),
        Err(_) => Err("这台电脑缺少 Microsoft Edge WebView2 运行时，民情通的窗口需要它（Windows 11 和已更新的 Windows 10 都自带）。\n\n请在能上网的电脑上打开 https://go.microsoft.com/fwlink/p/?LinkId=2124703 ，下载“WebView2 运行时独立安装程序（x64）”，用U盘拷到本机运行（不需要管理员权限），再打开民情通。\n\n命令行工具 minqing.exe 不需要 WebView2，可以先用它备份和导出数据。".into()),
    }
}

#[cfg(not(windows))]
pub fn webview_missing() -> Result<(), String> {
    Ok(())
}

/// A message box where there is no window to show it in (the released Windows app has no
/// console); stderr elsewhere.
#[cfg(windows)]
pub fn fatal_message(text: &str) {
    use windows_sys::Win32::UI::WindowsAndMessaging::{MessageBoxW, MB_ICONERROR, MB_OK};
    let wide = |s: &str| s.encode_utf16().chain(Some(0)).collect::<Vec<u16>>();
    let (text, title) = (wide(text), wide("民情通"));
    // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call.
    unsafe {
        MessageBoxW(
            std::ptr::null_mut(),
            text.as_ptr(),
            title.as_ptr(),
            MB_OK | MB_ICONERROR,
        );
    }
}

#[cfg(not(windows))]
pub fn fatal_message(text: &str) {
    eprintln!("{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Rect = Rect {
        x: 0,
        y: 0,
        width: 1360,
        height: 860,
    };

    #[test]
    fn a_window_taller_than_a_1366x768_screen_fills_the_work_area() {
        let work = Rect {
            x: 0,
            y: 0,
            width: 1366,
            height: 728,
        };
        // Centred on the whole screen the window's top was at y = −46.
        let centred = Rect { x: 3, y: -46, ..W };
        assert_eq!(placement(work, centred), Some((work, true)));
    }

    #[test]
    fn at_125_percent_on_full_hd_the_window_fills_the_824_high_work_area() {
        // 1920×1080 at 125 %: 1536×864 logical, physical pixels as the monitor reports them.
        let work = Rect {
            x: 0,
            y: 0,
            width: 1920,
            height: 1030,
        };
        let window = Rect {
            x: 0,
            y: 0,
            width: 1700,
            height: 1075,
        };
        assert_eq!(placement(work, window), Some((work, true)));
    }

    #[test]
    fn a_position_restored_from_a_larger_monitor_is_brought_back_on_screen() {
        let work = Rect {
            x: 0,
            y: 0,
            width: 1920,
            height: 1040,
        };
        let off = Rect {
            x: 2500,
            y: -200,
            ..W
        };
        let (to, max) = placement(work, off).unwrap();
        assert!(!max);
        assert_eq!((to.x, to.y), (280, 90));
        assert_eq!((to.width, to.height), (1360, 860));
        // A window that fits where it is stays there.
        let fine = Rect { x: 100, y: 50, ..W };
        assert_eq!(placement(work, fine), None);
    }
}
