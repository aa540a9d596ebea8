/**
 * Edits the platform description's source files with the TypeScript parser: the new service goes at the end of the
 * `services` array of `platform` (src/config/platform.ts), its overrides at the end of an environment's `services`
 * object (src/config/environments.ts). Only text is inserted, at positions the syntax tree gives, indented like the
 * neighbouring entries; everything else (comments, formatting) stays as it is. A file whose shape is not the expected
 * one is an error naming what was not found, never a guess.
 */
import ts from 'typescript';

/** A source file that does not have the shape the scaffold edits. */
export class DescriptionShapeError extends Error {
  override readonly name = 'DescriptionShapeError';
}

/** `x as T`, `x satisfies T` and `(x)` are looked through. */
function unwrap(node: ts.Expression): ts.Expression {
  while (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

/** The object literal assigned to the top-level `const <name>`. */
function variableObject(source: ts.SourceFile, name: string, file: string): ts.ObjectLiteralExpression {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) {
        const value = unwrap(declaration.initializer);
        if (ts.isObjectLiteralExpression(value)) return value;
      }
    }
  }
  throw new DescriptionShapeError(`${file}: no \`const ${name} = { … }\` found`);
}

/** The property `name` of an object literal (identifier or string key), if any. */
function property(object: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  return object.properties.find((p): p is ts.PropertyAssignment =>
    ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
}

/** The indentation of the line `position` is on. */
function indentationAt(text: string, position: number): string {
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** Re-indents a block written at column 0 to `indent` (every line but empty ones). */
function indented(block: string, indent: string): string {
  return block.split('\n').map((line) => (line ? indent + line : line)).join('\n');
}

/**
 * Inserts `entry` (written at column 0, no trailing comma) as the last element of a list (array or object literal's
 * elements/properties), on its own lines, indented like the last element (or one step in from the list), with a
 * trailing comma.
 */
function appendToList(text: string, source: ts.SourceFile, list: ts.ArrayLiteralExpression | ts.ObjectLiteralExpression, entry: string): string {
  const elements: ts.NodeArray<ts.Node> = ts.isArrayLiteralExpression(list) ? list.elements : list.properties;
  const last = elements.at(-1);
  const closing = list.getEnd() - 1;
  if (!last) {
    const indent = `${indentationAt(text, list.getStart(source))}  `;
    return `${text.slice(0, closing).trimEnd()}\n${indented(entry, indent)},\n${indentationAt(text, list.getStart(source))}${text.slice(closing)}`;
  }
  const indent = indentationAt(text, last.getStart(source));
  // After the last element and its comma, if any (comments after it stay where they are).
  let at = last.getEnd();
  const comma = text.slice(at).match(/^\s*,/);
  if (comma) at += comma[0].length;
  const separator = comma ? '' : ',';
  return `${text.slice(0, at)}${separator}\n${indented(entry, indent)},${text.slice(at)}`;
}

function parse(text: string, file: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** Fails when `text` no longer parses (a guard: the insertion must keep the file valid TypeScript). */
function assertParses(text: string, file: string): void {
  const { diagnostics = [] } = ts.transpileModule(text, { fileName: file, reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  if (diagnostics.length > 0) {
    throw new DescriptionShapeError(`${file}: the edit would not parse (${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, ' ')}); nothing was written`);
  }
}

/** platform.ts with `entry` (an object literal at column 0) appended to `platform.services`. */
export function addServiceEntry(text: string, entry: string, file = 'src/config/platform.ts'): string {
  const source = parse(text, file);
  const services = property(variableObject(source, 'platform', file), 'services');
  if (!services || !ts.isArrayLiteralExpression(unwrap(services.initializer))) {
    throw new DescriptionShapeError(`${file}: \`platform\` has no \`services: [ … ]\` array`);
  }
  const edited = appendToList(text, source, unwrap(services.initializer) as ts.ArrayLiteralExpression, entry);
  assertParses(edited, file);
  return edited;
}

/**
 * environments.ts with `'<service>': <overrides>` appended to `environments.<environment>.services` (the `services`
 * object is added when the environment has none).
 */
export function addServiceOverrides(text: string, environment: string, service: string, overrides: string, file = 'src/config/environments.ts'): string {
  const source = parse(text, file);
  const environmentProperty = property(variableObject(source, 'environments', file), environment);
  const environmentObject = environmentProperty && unwrap(environmentProperty.initializer);
  if (!environmentObject || !ts.isObjectLiteralExpression(environmentObject)) {
    throw new DescriptionShapeError(`${file}: \`environments\` has no \`${environment}: { … }\` object`);
  }
  const services = property(environmentObject, 'services');
  const key = `'${service}'`;
  let edited: string;
  if (!services) {
    edited = appendToList(text, source, environmentObject, `services: {\n  ${key}: ${overrides},\n}`);
  } else if (ts.isObjectLiteralExpression(unwrap(services.initializer))) {
    edited = appendToList(text, source, unwrap(services.initializer) as ts.ObjectLiteralExpression, `${key}: ${overrides}`);
  } else {
    throw new DescriptionShapeError(`${file}: \`environments.${environment}.services\` is not an object literal`);
  }
  assertParses(edited, file);
  return edited;
}
