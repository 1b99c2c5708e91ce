// Module types of the files bundled beside the worker (wrangler.toml [[rules]]).
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
declare module '*.matcher' {
  const data: ArrayBuffer;
  export default data;
}
