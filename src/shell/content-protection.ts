// Content protection asks the operating system to leave the window out of screen captures and shared
// screens (Windows and macOS honour it; most Linux compositors ignore it), so a Teams call in which the
// manager shares their screen does not broadcast case data. On unless switched off explicitly.
export const CONTENT_PROTECTION_DEFAULT = true;

const OFF = new Set(['0', 'off', 'false', 'no']);

/** Reads CONCORDAT_CONTENT_PROTECTION: only an explicit off value turns it off; anything else keeps it on. */
export function contentProtectionFrom(value: string | undefined): boolean {
  if (value === undefined) return CONTENT_PROTECTION_DEFAULT;
  return !OFF.has(value.trim().toLowerCase());
}
