// `npm start`: serves the app with Vite's dev server and prints its URL (PORT overrides 5173).
import { createServer } from 'vite';

const port = Number(process.env.PORT ?? 5173);
const server = await createServer({ server: { port, strictPort: true, host: 'localhost' } });
await server.listen();
console.log(`Plugboard is running at http://localhost:${port}/ (Ctrl+C stops it)`);
