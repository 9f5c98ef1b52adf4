/**
 * The Lambda handlers the library deploys, as the JavaScript the Lambda runtime loads, committed under `assets/`.
 *
 * Why committed: the library points its Lambda assets at `assets/<handler>/` (the same path from `src/` and from
 * `lib/`), so that an app that runs the library from its TypeScript sources — this repository's integ tests and
 * reference architecture under ts-node — deploys JavaScript too. Pointing at `src/<handler>/` would ship `index.ts`,
 * which the Lambda Node.js runtime cannot load.
 *
 * `npx projen handlers` regenerates them (the build does it before compiling); test/handlers.test.ts fails when a
 * committed file is not the transpilation of its source.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');

/** Each handler's TypeScript source and the JavaScript file the library deploys, relative to the repository. */
export const HANDLERS: readonly { readonly source: string; readonly output: string }[] = [
  {
    source: 'src/autoscaling-cleanup-handler/index.ts',
    output: 'assets/autoscaling-cleanup-handler/index.js',
  },
  {
    source: 'src/activity-stream-handler/index.ts',
    output: 'assets/activity-stream-handler/index.js',
  },
];

/** The JavaScript of one handler: its source transpiled to CommonJS for the Lambda Node.js runtime. */
export function transpileHandler(source: string): string {
  const text = fs.readFileSync(path.join(ROOT, source), 'utf-8');
  const output = ts.transpileModule(text, {
    fileName: source,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, removeComments: false },
  }).outputText;
  return `// Generated from ${source} by \`npx projen handlers\`: do not edit.\n${output}`;
}

/** The committed JavaScript of one handler, if any. */
export function committedHandler(output: string): string | undefined {
  const file = path.join(ROOT, output);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf-8') : undefined;
}

function main(): void {
  for (const { source, output } of HANDLERS) {
    const file = path.join(ROOT, output);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, transpileHandler(source));
    console.log(`wrote ${output}`);
  }
}

if (require.main === module) {
  main();
}
