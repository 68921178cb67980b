// The web app's entry: a host over the built-in manifest, shown by <pb-plugin-list>.
import { createHost } from './host/index.ts';
import './ui/index.ts';

const host = await createHost();
const list = document.querySelector('pb-plugin-list');
if (list) list.host = host;
