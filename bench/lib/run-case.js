// Runs one case in a process of its own (so one case's module hooks, heap and JIT state never touch another's)
// and writes its results entries as JSON to the file named on the command line.
// Usage: node bench/lib/run-case.js <module> <function> <output.json> [--quick] [--profile]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [modulePath, functionName, outputFile, ...flags] = process.argv.slice(2);
const root = fileURLToPath(new URL('../..', import.meta.url));
const module = await import(pathToFileURL(join(root, 'bench', modulePath)).href);
const entries = await module[functionName]({ root, work: join(root, 'bench/.work'), quick: flags.includes('--quick'), profile: flags.includes('--profile'), flags, log: (line) => console.log(line) });
writeFileSync(outputFile, JSON.stringify(entries));
// Browsers, servers and module-hook threads the case left behind must not keep the process alive.
process.exit(0);
