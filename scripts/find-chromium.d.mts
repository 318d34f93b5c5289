export declare const INSTRUCTION: string
export declare class ChromiumNotFoundError extends Error {}
/** The first Chromium already on this machine (environment, system, Playwright's own), or undefined. */
export declare function locateChromium(env?: Record<string, string | undefined>): string | undefined
export declare function canInstallWithApt(): boolean
export declare function installChromium(): string
/** The Chromium executable to use; installs it with apt-get when allowed and possible, else throws ChromiumNotFoundError. */
export declare function findChromium(options?: { install?: boolean; env?: Record<string, string | undefined> }): string
