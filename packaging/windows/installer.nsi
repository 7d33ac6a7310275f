; Agent Desktop: per-user Windows installer (NSIS 3.08+, Modern UI 2).
;
; Built by packaging/build.py, which passes:
;   /DAPP_VERSION=0.1.0 /DAPP_VERSION_QUAD=0.1.0.0 /DBUNDLE_DIR=<PyInstaller folder>
;   /DOUT_FILE=<setup.exe> /DICON_FILE=<agent-desktop.ico> [/DDRYRUN]
;   [/DSIGN_PYTHON=<python.exe> /DSIGN_SCRIPT=<packaging\build.py>] to Authenticode-sign
;
; Installs into %LOCALAPPDATA%\Programs\AgentDesktop without administrator rights, adds a
; Start-menu shortcut and an uninstaller registered under HKCU. Installing over an existing
; copy closes the running app and replaces the program files; the user's data, settings and
; sign-ins live in the user data folder and the system keyring, which are never touched.
; DRYRUN (CI on Linux) compiles the same script without compression or signing.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user

!ifndef APP_VERSION
  !error "APP_VERSION is not defined (run packaging/build.py)"
!endif
!ifndef APP_VERSION_QUAD
  !define APP_VERSION_QUAD "${APP_VERSION}.0"
!endif
!ifndef BUNDLE_DIR
  !error "BUNDLE_DIR is not defined (the PyInstaller one-folder bundle)"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "AgentDesktop-${APP_VERSION}-setup.exe"
!endif

!define APP_NAME "Agent Desktop"
!define APP_ID "AgentDesktop"
!define APP_EXE "AgentDesktop.exe"
!define PUBLISHER "Agent Desktop"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define SETTINGS_KEY "Software\${APP_ID}"

!ifdef DRYRUN
  ; A syntax and layout check: store the files uncompressed so it takes seconds.
  SetCompress off
!else
  SetCompressor /SOLID lzma
  !if /FileExists "${BUNDLE_DIR}\${APP_EXE}"
  !else
    !error "${BUNDLE_DIR}\${APP_EXE} does not exist: build the bundle first"
  !endif
!endif

!ifdef SIGN_SCRIPT
  ; Authenticode-sign the uninstaller makensis writes and the installer itself (%1 = file);
  ; build.py --sign-file runs signtool with the certificate from the environment.
  !uninstfinalize '"${SIGN_PYTHON}" "${SIGN_SCRIPT}" --sign-file "%1"' = 0
  !finalize '"${SIGN_PYTHON}" "${SIGN_SCRIPT}" --sign-file "%1"' = 0
!endif

Name "${APP_NAME}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
InstallDirRegKey HKCU "${SETTINGS_KEY}" "InstallDir"
BrandingText "${APP_NAME} ${APP_VERSION}"

VIProductVersion "${APP_VERSION_QUAD}"
VIFileVersion "${APP_VERSION_QUAD}"
VIAddVersionKey /LANG=0 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=0 "FileVersion" "${APP_VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${APP_VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "Copyright (c) 2026 the Agent Desktop authors. MIT licence."

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!ifdef ICON_FILE
  !define MUI_ICON "${ICON_FILE}"
  !define MUI_UNICON "${ICON_FILE}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "French"

LangString MsgClosing ${LANG_ENGLISH} "Closing ${APP_NAME}..."
LangString MsgClosing ${LANG_FRENCH} "Fermeture d'${APP_NAME}..."
LangString MsgStillRunning ${LANG_ENGLISH} "${APP_NAME} is still running. Close it, then click Retry."
LangString MsgStillRunning ${LANG_FRENCH} "${APP_NAME} est encore ouvert. Fermez-le, puis cliquez sur Réessayer."
LangString ShortcutDesc ${LANG_ENGLISH} "Answer your customers on Messenger"
LangString ShortcutDesc ${LANG_FRENCH} "Répondez à vos clients sur Messenger"

; Ask the running app to close (its window gets WM_CLOSE and saves drafts), then end what is
; left, including the embedded demo server it may have started. Only this user's processes.
!macro CloseRunningApp un
Function ${un}CloseRunningApp
  DetailPrint "$(MsgClosing)"
  nsExec::Exec 'taskkill /IM "${APP_EXE}" /T'
  Pop $0
  ${If} $0 == 0
    Sleep 3000
  ${EndIf}
  nsExec::Exec 'taskkill /F /IM "${APP_EXE}" /T'
  Pop $0
  ${If} $0 == 0
    Sleep 1000
  ${EndIf}
FunctionEnd
!macroend
!insertmacro CloseRunningApp ""
!insertmacro CloseRunningApp "un."

Function .onInit
  SetShellVarContext current
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "!${APP_NAME}" SecMain
  SectionIn RO
  Call CloseRunningApp
  SetOutPath "$INSTDIR"
  ; Upgrade in place: remove the previous program files (never the user's data, which lives
  ; in %LOCALAPPDATA%\AgentDesktop and the Windows Credential Manager).
  ClearErrors
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  ${If} ${Errors}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(MsgStillRunning)" /SD IDCANCEL IDRETRY retry
    Abort
    retry:
    Call CloseRunningApp
    RMDir /r "$INSTDIR\_internal"
    Delete "$INSTDIR\${APP_EXE}"
  ${EndIf}
  File /r "${BUNDLE_DIR}\*.*"

  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 SW_SHOWNORMAL "" "$(ShortcutDesc)"

  WriteRegStr HKCU "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${APP_VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  Call un.CloseRunningApp
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  ; Only what the installer put there: a folder the user picked may hold other files.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${SETTINGS_KEY}"
  ; The user's conversations cache, drafts, settings and keyring entries are kept, so a
  ; reinstall finds the agent signed in with nothing lost.
SectionEnd
