; 民情通 installer for the coordinators' Windows PCs: per user, no administrator rights,
; Simplified Chinese throughout. Built by `cargo xtask dist` with Debian's makensis and stock
; plugins only (the Tauri CLI's own NSIS template needs a download and a newer NSIS).
;
; Defines passed by xtask (makensis -D…):
;   VERSION      0.1.0
;   STAGE        folder holding 民情通.exe, WebView2Loader.dll, minqing.exe, 使用说明.html
;   OUTFILE      the installer to write
;   ICON         the app's .ico
;   WEBVIEW2     (optional) Microsoft's offline WebView2 runtime installer to embed
;
; The data folder (%APPDATA%\org.minqing.desktop) belongs to the user, not to the install:
; installing over an older version leaves it alone (the app upgrades the database with a backup
; first), and uninstalling keeps it and says where it is.

; A 64-bit installer for a 64-bit program: it runs where the program runs, says at once on a
; 32-bit Windows that it cannot (before anything is installed), and needs no 32-bit Wine to be
; tested. Debian's NSIS ships the amd64-unicode stubs and plugins.
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!define PRODUCT "民情通"
!define IDENTIFIER "org.minqing.desktop"
!define PUBLISHER "民情通"
!define APP_EXE "民情通.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${IDENTIFIER}"
!define WEBVIEW2_GUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "Software\${IDENTIFIER}" "InstallDir"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=2052 "FileDescription" "${PRODUCT} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT License"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "欢迎安装 ${PRODUCT} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "民情通帮助乡镇联络员安排干部走访、记录民情日记、跟踪群众诉求并导出区里要的报表。$\r$\n$\r$\n本程序只安装到当前用户的文件夹，不需要管理员权限，也不需要联网。$\r$\n$\r$\n如果电脑上已装有旧版本，直接安装即可：原有数据会保留，新版本第一次打开时会先自动备份再升级数据。$\r$\n$\r$\n点击“下一步”继续。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开民情通"
!define MUI_FINISHPAGE_SHOWREADME "$INSTDIR\使用说明.html"
!define MUI_FINISHPAGE_SHOWREADME_TEXT "查看使用说明"
!define MUI_FINISHPAGE_SHOWREADME_NOTCHECKED

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

; True ($0 = 1) when the WebView2 runtime is installed, per machine or per user.
!macro HasWebView2
  StrCpy $0 0
  SetRegView 64
  ReadRegStr $1 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${If} $1 == ""
    ReadRegStr $1 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  ${If} $1 == ""
    ReadRegStr $1 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  SetRegView lastused
  ${If} $1 != ""
  ${AndIf} $1 != "0.0.0.0"
    StrCpy $0 1
  ${EndIf}
!macroend

Function .onInit
  SetShellVarContext current
FunctionEnd

Section "民情通" SecMain
  SetShellVarContext current
  SetOutPath "$INSTDIR"

  ; An older version still running holds its files: ask to close it rather than fail halfway.
  retry:
  ClearErrors
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
    Delete "$INSTDIR\${APP_EXE}"
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "民情通正在运行，无法更新。$\r$\n请先关闭民情通（数据都已自动保存），再点“重试”。" /SD IDCANCEL IDRETRY retry
      Abort "民情通正在运行，安装已取消。请关闭民情通后重新运行安装程序。"
    ${EndIf}
  ${EndIf}

  File "${STAGE}\${APP_EXE}"
  File "${STAGE}\WebView2Loader.dll"
  File "${STAGE}\minqing.exe"
  File "${STAGE}\使用说明.html"
  File "${STAGE}\说明.txt"

  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 SW_SHOWNORMAL "" "${PRODUCT}：走访排班、民情日记与诉求台账"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}使用说明.lnk" "$INSTDIR\使用说明.html"
  CreateShortCut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 SW_SHOWNORMAL "" "${PRODUCT}：走访排班、民情日记与诉求台账"

  ; 应用和功能 (per user: HKCU).
  WriteRegStr HKCU "Software\${IDENTIFIER}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"

  ; The window needs Microsoft Edge WebView2 (Windows 11 and updated Windows 10 have it).
  !insertmacro HasWebView2
  ${If} $0 == 0
!ifdef WEBVIEW2
    DetailPrint "正在安装 Microsoft Edge WebView2 运行时……"
    InitPluginsDir
    File "/oname=$PLUGINSDIR\WebView2RuntimeInstaller.exe" "${WEBVIEW2}"
    ; Without elevation Microsoft's installer installs per user.
    ExecWait '"$PLUGINSDIR\WebView2RuntimeInstaller.exe" /silent /install' $1
    !insertmacro HasWebView2
    ${If} $0 == 0
      MessageBox MB_OK|MB_ICONEXCLAMATION "Microsoft Edge WebView2 运行时没有装好（返回代码 $1）。$\r$\n民情通已经装好，但窗口需要 WebView2 才能打开。请联系单位的信息员安装“WebView2 运行时”，然后再打开民情通。" /SD IDOK
    ${EndIf}
!else
    MessageBox MB_OK|MB_ICONINFORMATION "这台电脑还没有 Microsoft Edge WebView2 运行时，民情通的窗口需要它（Windows 11 和已更新的 Windows 10 都自带）。$\r$\n$\r$\n民情通已经装好。请这样补上 WebView2：$\r$\n1. 在能上网的电脑上打开 https://go.microsoft.com/fwlink/p/?LinkId=2124703 ，下载“WebView2 运行时独立安装程序（x64）”；$\r$\n2. 用U盘拷到本机，双击运行（不需要管理员权限）；$\r$\n3. 再打开民情通。$\r$\n$\r$\n也可以向区里索取带 WebView2 的民情通安装包。" /SD IDOK
!endif
  ${EndIf}
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\minqing.exe"
  Delete "$INSTDIR\使用说明.html"
  Delete "$INSTDIR\说明.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk"
  Delete "$SMPROGRAMS\${PRODUCT}\${PRODUCT}使用说明.lnk"
  RMDir "$SMPROGRAMS\${PRODUCT}"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\${IDENTIFIER}"
  ; The data stays: households, diaries and requests are the township's, not the program's.
  MessageBox MB_OK|MB_ICONINFORMATION "民情通已卸载。$\r$\n$\r$\n您的数据没有删除，仍保存在：$\r$\n$APPDATA\${IDENTIFIER}$\r$\n（其中 minqing.db 是全部数据，backups 文件夹是自动备份）。$\r$\n重新安装民情通后会自动接着使用这些数据；确实不再需要时，可以自己删除这个文件夹。" /SD IDOK
SectionEnd
