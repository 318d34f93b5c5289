// Small wording helpers for the account page. Pure, unit-tested beside.

/** "Firefox on Android" from a user agent: enough to recognise one's own devices, never a fingerprint. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser'
  const ua = userAgent
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\/|Opera/.test(ua)
      ? 'Opera'
      : /Firefox\/|FxiOS\//.test(ua)
        ? 'Firefox'
        : /Chrome\/|CriOS\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : null
  const system = /iPhone|iPad|iPod/.test(ua) ? 'iOS' : /Android/.test(ua) ? 'Android' : /Windows/.test(ua) ? 'Windows' : /Mac OS X|Macintosh/.test(ua) ? 'macOS' : /CrOS/.test(ua) ? 'ChromeOS' : /Linux/.test(ua) ? 'Linux' : null
  if (browser && system) return `${browser} on ${system}`
  if (browser || system) return (browser ?? system)!
  return ua.length > 60 ? `${ua.slice(0, 57)}…` : ua
}

/** Minutes as people say them: "5 minutes", "1 hour", "12 hours", "45 days". */
export function duration(minutes: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  if (minutes % 1440 === 0) return unit(minutes / 1440, 'day')
  if (minutes % 60 === 0) return unit(minutes / 60, 'hour')
  return unit(minutes, 'minute')
}
