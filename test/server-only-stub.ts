// Lets modules marked server-only load under Vitest and the CLI, which are server-side too.
export {}
