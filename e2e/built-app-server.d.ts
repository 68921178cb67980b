/** Starts a server of dist-app under a Content-Security-Policy on a free port. */
export function serveBuiltApp(policy: 'self' | 'nonce'): Promise<{ url: string; close(): Promise<void> }>;
