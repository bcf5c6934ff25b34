// Vite's `?url` imports: the file is emitted into dist-renderer/assets/ and the import is its URL on the
// app's own origin (so the CSP's 'self' covers it).
declare module '*?url' {
  const url: string;
  export default url;
}
