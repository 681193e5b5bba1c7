; SyncDeck installer for Windows (NSIS 3, Modern UI 2), English and Simplified Chinese.
;
;   makensis /DVERSION=0.1.0 /DSOURCE_DIR=../../dist/syncdeck /DICON=../../build/icons/syncdeck.ico
;            /DOUTFILE=../../dist/SyncDeck-0.1.0-setup.exe packaging/windows/syncdeck.nsi
;
; Relative paths are relative to this file's folder (makensis changes into it). SOURCE_DIR is
; the PyInstaller one-folder build (syncdeck.exe, syncdeck-cli.exe, _internal\).
;
; Installs for the current user only (no administrator rights): the program in
; %LOCALAPPDATA%\Programs\SyncDeck, a Start-menu entry, optionally a desktop shortcut and start
; at login (the same Run value the app's own setting writes), SyncDeck as the handler of
; magnet: and syncdeck: links and of .torrent files (per user, in HKCU\Software\Classes), and an
; uninstaller listed in "Apps & features". Uninstalling keeps the user's settings, database and
; downloaded videos, and leaves a magnet: or .torrent handler alone once another program took it.

Unicode true
!include "MUI2.nsh"
!include "FileFunc.nsh"

!ifndef VERSION
  !error "pass /DVERSION=x.y.z"
!endif
!ifndef SOURCE_DIR
  !error "pass /DSOURCE_DIR=<the PyInstaller folder, dist/syncdeck>"
!endif
!ifndef OUTFILE
  !define OUTFILE "SyncDeck-${VERSION}-setup.exe"
!endif

!define APP_NAME "SyncDeck"
!define APP_EXE "syncdeck.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\SyncDeck"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define SETTINGS_KEY "Software\SyncDeck"
!define CLASSES "Software\Classes"
!define TORRENT_PROGID "SyncDeck.Torrent"
!define OPEN_COMMAND '"$INSTDIR\${APP_EXE}" "%1"'

; A URL protocol (magnet, syncdeck) opened by SyncDeck: a clicked link starts `syncdeck.exe <link>`.
!macro RegisterProtocol SCHEME DESCRIPTION
  WriteRegStr HKCU "${CLASSES}\${SCHEME}" "" "${DESCRIPTION}"
  WriteRegStr HKCU "${CLASSES}\${SCHEME}" "URL Protocol" ""
  WriteRegStr HKCU "${CLASSES}\${SCHEME}\DefaultIcon" "" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${CLASSES}\${SCHEME}\shell\open\command" "" '${OPEN_COMMAND}'
!macroend

; Removed only while it still opens SyncDeck: a program installed later may have taken it over.
!macro UnregisterProtocol SCHEME
  ReadRegStr $0 HKCU "${CLASSES}\${SCHEME}\shell\open\command" ""
  StrCmp $0 '${OPEN_COMMAND}' 0 +2
    DeleteRegKey HKCU "${CLASSES}\${SCHEME}"
!macroend

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\SyncDeck"
InstallDirRegKey HKCU "${SETTINGS_KEY}" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
ManifestDPIAware true

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=0 "LegalCopyright" "GPL-3.0-or-later"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "../../LICENSE"
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the fallback for systems in neither language.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

LangString SecAppName ${LANG_ENGLISH} "SyncDeck (required)"
LangString SecAppName ${LANG_SIMPCHINESE} "SyncDeck（必需）"
LangString SecAppText ${LANG_ENGLISH} "The program and a Start-menu entry."
LangString SecAppText ${LANG_SIMPCHINESE} "程序本体和开始菜单项。"
LangString SecDesktopName ${LANG_ENGLISH} "Desktop shortcut"
LangString SecDesktopName ${LANG_SIMPCHINESE} "桌面快捷方式"
LangString SecDesktopText ${LANG_ENGLISH} "A SyncDeck icon on the desktop."
LangString SecDesktopText ${LANG_SIMPCHINESE} "在桌面上放一个 SyncDeck 图标。"
LangString SecLinksName ${LANG_ENGLISH} "Open torrents and links"
LangString SecLinksName ${LANG_SIMPCHINESE} "打开种子和链接"
LangString SecLinksText ${LANG_ENGLISH} "Open magnet links, .torrent files and syncdeck:// links (note timestamps) with SyncDeck."
LangString SecLinksText ${LANG_SIMPCHINESE} "用 SyncDeck 打开磁力链接、.torrent 文件和 syncdeck:// 链接（笔记中的时间点）。"
LangString TorrentFileType ${LANG_ENGLISH} "BitTorrent file"
LangString TorrentFileType ${LANG_SIMPCHINESE} "BitTorrent 种子文件"
LangString SecAutostartName ${LANG_ENGLISH} "Start at login"
LangString SecAutostartName ${LANG_SIMPCHINESE} "开机自动启动"
LangString SecAutostartText ${LANG_ENGLISH} "Start SyncDeck in the tray when you log in, so it keeps syncing. Can be changed later in Settings."
LangString SecAutostartText ${LANG_SIMPCHINESE} "登录 Windows 时在托盘中启动 SyncDeck，持续同步。之后可在设置中更改。"

Section "!$(SecAppName)" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An update replaces the whole program: remove the old libraries first so none is left over.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SOURCE_DIR}/*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
  WriteRegStr HKCU "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "SyncDeck developers"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "$(SecDesktopName)" SecDesktop
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

Section "$(SecLinksName)" SecLinks
  !insertmacro RegisterProtocol "magnet" "URL:Magnet link"
  !insertmacro RegisterProtocol "syncdeck" "URL:SyncDeck link"
  WriteRegStr HKCU "${CLASSES}\${TORRENT_PROGID}" "" "$(TorrentFileType)"
  WriteRegStr HKCU "${CLASSES}\${TORRENT_PROGID}\DefaultIcon" "" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${CLASSES}\${TORRENT_PROGID}\shell\open\command" "" '${OPEN_COMMAND}'
  WriteRegStr HKCU "${CLASSES}\.torrent" "" "${TORRENT_PROGID}"
  WriteRegStr HKCU "${CLASSES}\.torrent" "Content Type" "application/x-bittorrent"
  WriteRegStr HKCU "${CLASSES}\.torrent\OpenWithProgids" "${TORRENT_PROGID}" ""
  ; Explorer re-reads the associations now, not at the next login.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section /o "$(SecAutostartName)" SecAutostart
  ; The value desktop/autostart.py reads and writes: the Settings switch shows it as on.
  WriteRegStr HKCU "${RUN_KEY}" "${APP_NAME}" '"$INSTDIR\${APP_EXE}" --minimized'
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} $(SecAppText)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} $(SecDesktopText)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecLinks} $(SecLinksText)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAutostart} $(SecAutostartText)
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  DeleteRegValue HKCU "${RUN_KEY}" "${APP_NAME}"
  !insertmacro UnregisterProtocol "magnet"
  !insertmacro UnregisterProtocol "syncdeck"
  DeleteRegKey HKCU "${CLASSES}\${TORRENT_PROGID}"
  DeleteRegValue HKCU "${CLASSES}\.torrent\OpenWithProgids" "${TORRENT_PROGID}"
  DeleteRegKey /ifempty HKCU "${CLASSES}\.torrent\OpenWithProgids"
  ReadRegStr $0 HKCU "${CLASSES}\.torrent" ""
  StrCmp $0 "${TORRENT_PROGID}" 0 +2
    DeleteRegValue HKCU "${CLASSES}\.torrent" ""
  DeleteRegKey /ifempty HKCU "${CLASSES}\.torrent"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  ; Only what the installer put there, never a recursive delete of a folder the user picked.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\syncdeck-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${SETTINGS_KEY}"
SectionEnd
