// Appended to the package's declarations by scripts/test. wasm-bindgen gives
// every class a `[Symbol.dispose](): void` method, which only compiles where
// the TypeScript lib includes `esnext.disposable`. Declaring the symbol here
// (as that lib does, so both merge) lets the package compile with
// `--lib es2022,dom` too.
export {};
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}
