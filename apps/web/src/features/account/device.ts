/** A readable device name for a session, from its user-agent string (parsed by bowser). */
import Bowser from 'bowser';

export interface DeviceInfo {
  /** "Chrome 130" */
  browser: string | null;
  /** "Android 14", "iOS 17.0", "Windows" */
  os: string | null;
  /** "iPhone", "SM-S918B" where the user agent names the hardware. */
  model: string | null;
}

// Windows and macOS browsers freeze the version in the user agent (every Windows says "NT 10.0",
// every Mac "10_15_7"), so a version there would often be wrong: name the system only.
const FROZEN_OS_VERSIONS = new Set(['Windows', 'macOS']);

function major(version: string | undefined): string | null {
  const m = version ? /^\d+/.exec(version) : null;
  return m ? m[0] : null;
}

export function describeUserAgent(ua: string | null): DeviceInfo {
  if (!ua) return { browser: null, os: null, model: null };
  const parsed = Bowser.parse(ua);
  const browserName = parsed.browser.name || null;
  const browserMajor = major(parsed.browser.version);
  const browser = browserName ? [browserName, browserMajor].filter(Boolean).join(' ') : null;

  const osName = parsed.os.name || null;
  const osVersion = osName && !FROZEN_OS_VERSIONS.has(osName) ? parsed.os.version : undefined;
  const os = osName ? [osName, osVersion].filter(Boolean).join(' ') : null;

  // Android puts the model after the version ("Android 14; SM-S918B)"); "K" is Chrome's reduced
  // placeholder and says nothing.
  const android = /Android [\d.]+; ([^;)]+?)(?: Build\/[^;)]*)?\)/.exec(ua)?.[1]?.trim();
  const model = parsed.platform.model ?? (android && android !== 'K' ? android : null);
  return { browser, os, model };
}
