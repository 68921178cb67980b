// The standalone build: the whole public API and the SDK in one self-contained ES module.
export * from './index.ts';
export * from './sdk/index.ts';
