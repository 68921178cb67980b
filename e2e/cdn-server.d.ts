import type { IncomingMessage, ServerResponse } from 'node:http';
/** Answers one request as the fixture CDN does. */
export function handle(request: IncomingMessage, response: ServerResponse): void;
