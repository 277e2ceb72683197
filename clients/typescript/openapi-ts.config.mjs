// Generates src/gen from the document hookd serves (committed in ../openapi.json by
// scripts/clients). Imports end in .js so that Node runs the compiled ES modules as they are.
export default {
  input: '../openapi.json',
  output: { path: 'src/gen', importFileExtension: '.js' },
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
  logs: { file: false },
};
