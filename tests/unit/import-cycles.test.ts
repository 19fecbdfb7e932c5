/**
 * No module imports itself through others. A cycle makes the order modules initialise in depend on which one
 * is loaded first (a `const` read before it is set), and it usually means a piece two modules share belongs
 * in a module of its own (as STATUS_COLOURS did, between ArchiveScreen and DocumentDrawer). Imports of types
 * only are erased at build time and cannot form such a cycle, so they are not counted.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The relative specifiers `file` imports or re-exports at run time. */
function runtimeImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      const bindings = node.importClause?.namedBindings;
      const onlyTypes =
        bindings &&
        ts.isNamedImports(bindings) &&
        !node.importClause?.name &&
        bindings.elements.length > 0 &&
        bindings.elements.every((element) => element.isTypeOnly);
      if (!onlyTypes && ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteral(argument)) specifiers.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers.filter((specifier) => specifier.startsWith('.'));
}

function resolveImport(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  const found = [base, ...EXTENSIONS.map((extension) => base + extension)].find((candidate) => /\.tsx?$/.test(candidate) && existsSync(candidate));
  return found ?? null;
}

function importGraph(files: string[], read: (file: string) => string): Map<string, string[]> {
  return new Map(files.map((file) => [file, runtimeImports(file, read(file)).flatMap((specifier) => resolveImport(file, specifier) ?? [])]));
}

/** Every strongly connected group of more than one module (or a module importing itself), by Tarjan's algorithm. */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (node: string) => {
    index.set(node, counter);
    lowLink.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, index.get(next)!));
      }
    }
    if (lowLink.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(group.map((file) => relative(root, file)).sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return cycles;
}

describe('import cycles', () => {
  it.each(['src/renderer', 'src/shared', 'src/main'])('none among the modules of %s', (dir) => {
    const files = sourcesUnder(join(root, dir));
    expect(files.length).toBeGreaterThan(0);
    expect(cyclesOf(importGraph(files, (file) => readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('finds a cycle through value imports and ignores one through type-only imports', () => {
    const dir = join(root, 'src/renderer/screens');
    const screen = join(dir, 'ArchiveScreen.tsx');
    const drawer = join(root, 'src/renderer/document/DocumentDrawer.tsx');
    const texts = new Map([
      [screen, "import { DocumentDrawer } from '../document/DocumentDrawer';\n"],
      [drawer, "import { STATUS_COLOURS } from '../screens/ArchiveScreen';\n"],
    ]);
    expect(cyclesOf(importGraph([screen, drawer], (file) => texts.get(file)!))).toEqual([
      ['src/renderer/document/DocumentDrawer.tsx', 'src/renderer/screens/ArchiveScreen.tsx'],
    ]);
    texts.set(drawer, "import type { Filter } from '../screens/ArchiveScreen';\nimport { type Other } from '../screens/ArchiveScreen';\n");
    expect(cyclesOf(importGraph([screen, drawer], (file) => texts.get(file)!))).toEqual([]);
  });
});
