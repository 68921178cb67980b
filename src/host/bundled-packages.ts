/**
 * The manifests of the npm plugin packages an app's build ships: none in Plugboard's own build. It stays a
 * module of its own (`dist/bundled-packages.js`) so that `plugboard/vite` can replace it, in an app's
 * `vite build`, with the manifests of the app's dependencies that declare a package.json `plugboard` field.
 */
const bundledPackages: readonly { url: string; json: unknown }[] = [];
export default bundledPackages;
