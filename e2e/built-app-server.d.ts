/** Starts a server of dist-app under a Content-Security-Policy on a free port, at `options.base` (default `/`). */
export function serveBuiltApp(policy: 'self' | 'nonce' | 'no-workers', options?: { base?: string }): Promise<{ url: string; close(): Promise<void> }>;
